package io.gridgate.registry.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two calls the client makes to a node's admin port. Each is bounded as a whole, reply body
 * included, and keeps at most {@value #MAX_BODY_BYTES} bytes of the reply, for error messages.
 */
final class AdminCalls {

    static final int MAX_BODY_BYTES = 4096;

    /** What a node answered. */
    record Reply(int status, String body) {
    }

    private final HttpClient http;
    private final String authorization;

    AdminCalls(String token, Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
        this.authorization = "Bearer " + token;
    }

    Reply put(URI url, String json, Duration timeout) throws IOException, InterruptedException {
        return send(request(url, timeout)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build(), timeout);
    }

    Reply delete(URI url, Duration timeout) throws IOException, InterruptedException {
        return send(request(url, timeout).DELETE().build(), timeout);
    }

    private HttpRequest.Builder request(URI url, Duration timeout) {
        return HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    /** The request's own timeout ends at the response head; the wait here also bounds the body. */
    private Reply send(HttpRequest request, Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(request, info -> HttpResponse.BodySubscribers
                .fromSubscriber(new Prefix(MAX_BODY_BYTES), Prefix::text));
        try {
            HttpResponse<String> response = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Reply(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new HttpTimeoutException("no complete reply within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(describe(cause), cause);
        }
    }

    /** An I/O failure in a few words; some (a refused connection) come without a message. */
    static String describe(Throwable failure) {
        if (failure instanceof ConnectException) {
            return "could not connect (" + failure.getClass().getSimpleName()
                    + (failure.getCause() != null ? ": " + describe(failure.getCause()) : "") + ")";
        }
        String message = failure.getMessage();
        String name = failure.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return failure.getCause() != null ? name + ": " + describe(failure.getCause()) : name;
        }
        return name + ": " + message;
    }

    /** Keeps the first bytes of a body and drains the rest, so a wrong URL cannot fill the heap. */
    private static final class Prefix implements Flow.Subscriber<List<ByteBuffer>> {

        private final byte[] kept;
        private int size;
        private boolean truncated;

        Prefix(int limit) {
            this.kept = new byte[limit];
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int n = Math.min(buffer.remaining(), kept.length - size);
                buffer.get(kept, size, n);
                size += n;
                truncated |= buffer.hasRemaining();
            }
        }

        @Override
        public void onError(Throwable failure) {
            // The call's future fails with it.
        }

        @Override
        public void onComplete() {
            // The finisher reads what was kept.
        }

        String text() {
            String text = new String(kept, 0, size, StandardCharsets.UTF_8);
            return truncated ? text + "..." : text;
        }
    }
}
