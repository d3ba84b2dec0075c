package io.gridgate.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * One request to a target whose answers must have one body, before any round: a setup that answers something else
 * (a route the node does not know, a composition that fails) is then reported by what it answered, at once, rather
 * than as a flagged run minutes later.
 */
final class AnswerCheck {

    private static final Duration TIMEOUT = LoadSpec.DEFAULT_REQUEST_TIMEOUT;
    private static final int MAX_SHOWN_CHARS = 300;

    private AnswerCheck() {
    }

    /** What is wrong with {@code target}'s answer, or empty if it is a 2xx with the expected body (or none is). */
    static Optional<String> problem(Target target) {
        Optional<String> expected = target.expectedBody();
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        URI uri = URI.create("http://" + target.address().getHostString() + ":" + target.address().getPort()
                + target.path());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Optional.of(target.name() + ": GET " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + target.name(), e);
        }
        if (response.statusCode() / 100 == 2 && ExpectedBody.of(expected.get()).matches(response.body())) {
            return Optional.empty();
        }
        return Optional.of(target.name() + ": GET " + uri + " answered " + response.statusCode() + " "
                + shown(response.body()) + " (expected: 200 " + expected.get() + ")");
    }

    private static String shown(String body) {
        return body.length() <= MAX_SHOWN_CHARS ? body : body.substring(0, MAX_SHOWN_CHARS) + "...";
    }
}
