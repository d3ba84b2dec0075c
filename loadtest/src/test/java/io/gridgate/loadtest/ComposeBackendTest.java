package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ComposeBackendTest {

    private static final Duration DELAY = Duration.ofMillis(40);

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void answersEachEndpointsJsonAfterItsDelayTheSlowestAQuarterLater() throws Exception {
        try (ComposeBackend backend = ComposeBackend.start(DELAY)) {
            get(backend, "/fast-a"); // connection and classes warm

            long fastNanos = timed(backend, "/fast-b");
            long slowestNanos = timed(backend, "/slowest");

            assertThat(fastNanos).isGreaterThanOrEqualTo(DELAY.toNanos()).isLessThan(DELAY.toNanos() * 2);
            assertThat(slowestNanos).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
            HttpResponse<String> response = get(backend, "/slowest");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body()).isEqualTo("{\"endpoint\":\"slowest\",\"delayMicros\":50000,\"items\":[1,2,3]}")
                    .isEqualTo(ComposeScenario.slowestBody(DELAY));
            assertThat(backend.requests()).isEqualTo(4);
        }
    }

    @Test
    void keepsManyRequestsWaitingAtOnceWithoutAThreadEach() throws Exception {
        long timersBefore = timerThreads();
        try (ComposeBackend backend = ComposeBackend.start(DELAY)) {
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(client.sendAsync(request(backend, "/fast-a"), HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
            long elapsed = System.nanoTime() - start;

            assertThat(answers).allSatisfy(a -> assertThat(a.join().statusCode()).isEqualTo(200));
            assertThat(elapsed).as("the 50 waited side by side, not one after another (2 s)")
                    .isLessThan(DELAY.toNanos() * 10);
            assertThat(timerThreads()).as("one timer for them all").isLessThanOrEqualTo(timersBefore + 1);
        }
    }

    @Test
    void answersOtherPaths404AtOnce() throws Exception {
        try (ComposeBackend backend = ComposeBackend.start(DELAY)) {
            assertThat(get(backend, "/nothing").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aTargetOfTheSlowestUpstreamPassesTheCheckBeforeTheRoundsAndAWrongBodyDoesNot() {
        try (ComposeBackend backend = ComposeBackend.start(DELAY)) {
            Target direct = ComposeScenario.target("direct-slowest", backend, null, DELAY);
            Target wrong = new CheckedTarget("wrong", backend.address(), "/fast-a", ComposeScenario.slowestBody(DELAY),
                    null);

            assertThat(AnswerCheck.problem(direct)).isEmpty();
            assertThat(AnswerCheck.problem(wrong)).hasValueSatisfying(problem -> assertThat(problem)
                    .startsWith("wrong: GET http://127.0.0.1:" + backend.address().getPort() + "/fast-a answered 200"
                            + " {\"endpoint\":\"fast-a\"")
                    .endsWith("(expected: 200 " + ComposeScenario.slowestBody(DELAY) + ")"));
        }
    }

    /** Timer threads alive, this test's and any earlier test's that has not ended yet. */
    private static long timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("compose-backend-timer"))
                .count();
    }

    private long timed(ComposeBackend backend, String path) throws Exception {
        long start = System.nanoTime();
        assertThat(get(backend, path).statusCode()).isEqualTo(200);
        return System.nanoTime() - start;
    }

    private HttpResponse<String> get(ComposeBackend backend, String path) throws Exception {
        return client.send(request(backend, path), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(ComposeBackend backend, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.address().getPort() + path)).build();
    }
}
