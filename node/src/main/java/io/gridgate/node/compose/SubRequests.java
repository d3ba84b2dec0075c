package io.gridgate.node.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.gridgate.node.tracing.UpstreamSpan;
import io.gridgate.node.upstream.Endpoint;
import io.gridgate.node.upstream.Upstream;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls of compositions, made with the JDK's asynchronous HTTP client (the proxy's Undertow
 * client commits its answer to the client, and a composition must read answers to merge them): the
 * upstream chooses the endpoint as for a proxied request, its breaker permits and records the call,
 * its outlier detection hears the outcome, and the call is a client span of the request's trace.
 * Nothing here blocks: completions run on two threads of the client's own, never on an I/O thread.
 */
final class SubRequests {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;

    SubRequests(Duration connectTimeout) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "gridgate-compose-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade attempt on every new connection
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * GETs {@code pathAndQuery} from the endpoint {@code upstream} chooses and reads its JSON answer;
     * fails with a {@link CallFailure} that says why.
     */
    CompletableFuture<JsonNode> get(HttpServerExchange exchange, String call, Upstream upstream, String pathAndQuery,
                                    Map<String, String> headers, Duration timeout, long maxBodyBytes) {
        if (!upstream.breaker().tryAcquire()) {
            return CompletableFuture.failedFuture(new CallFailure(call, CallFailure.Kind.FAILED,
                    "the circuit breaker of " + upstream.name() + " is open"));
        }
        Endpoint endpoint = upstream.choose(exchange);
        if (endpoint == null) {
            upstream.breaker().release();
            return CompletableFuture.failedFuture(new CallFailure(call, CallFailure.Kind.FAILED,
                    "no endpoint of " + upstream.name() + " can take the request"));
        }
        UpstreamSpan span = UpstreamSpan.start(exchange, upstream.name(), endpoint.uri(), pathAndQuery, 1);
        UpstreamSpan.call(span, call);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.toString() + pathAndQuery))
                .timeout(timeout).GET().header("Accept", "application/json");
        headers.forEach(request::header);
        UpstreamSpan.inject(span, request::header);
        AtomicInteger status = new AtomicInteger();
        long start = System.nanoTime();
        endpoint.started();
        CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(request.build(), info -> {
            status.set(info.statusCode());
            return new BoundedBody(maxBodyBytes);
        });
        CompletableFuture<JsonNode> result = sent.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).handle((response, error) -> {
            endpoint.finished();
            long nanos = System.nanoTime() - start;
            if (error != null) {
                throw failure(call, upstream, endpoint, span, status.get(), nanos, unwrap(error), timeout);
            }
            int code = response.statusCode();
            upstream.breaker().onResponse(code, nanos);
            upstream.report(endpoint, code >= 500);
            UpstreamSpan.responded(span, code);
            UpstreamSpan.end(span);
            if (code == 404) {
                throw new CallFailure(call, CallFailure.Kind.NOT_FOUND, upstream.name() + " answered 404");
            }
            if (code < 200 || code > 299) {
                throw new CallFailure(call, CallFailure.Kind.FAILED, upstream.name() + " answered " + code);
            }
            return parse(call, upstream, response.body());
        });
        // A deadline that cancels the result also cancels the exchange.
        result.whenComplete((value, error) -> {
            if (error instanceof CancellationException) {
                sent.cancel(true);
            }
        });
        return result;
    }

    private static CallFailure failure(String call, Upstream upstream, Endpoint endpoint, UpstreamSpan span, int status,
                                       long nanos, Throwable error, Duration timeout) {
        if (error instanceof BoundedBody.TooLarge tooLarge) {
            upstream.breaker().onResponse(status, nanos);
            UpstreamSpan.responded(span, status);
            UpstreamSpan.end(span);
            return new CallFailure(call, CallFailure.Kind.FAILED, upstream.name() + ": " + tooLarge.getMessage());
        }
        upstream.breaker().onFailure(nanos);
        upstream.report(endpoint, true);
        boolean timedOut = error instanceof HttpTimeoutException || error instanceof TimeoutException;
        UpstreamSpan.failed(span, timedOut ? "timeout" : error.getClass().getSimpleName());
        UpstreamSpan.end(span);
        if (timedOut) {
            return new CallFailure(call, CallFailure.Kind.TIMEOUT, upstream.name() + " did not answer within "
                    + timeout.toMillis() + " ms");
        }
        return new CallFailure(call, CallFailure.Kind.FAILED, "cannot reach " + endpoint + " ("
                + (error instanceof IOException && error.getMessage() != null ? error.getMessage()
                : error.getClass().getSimpleName()) + ")");
    }

    private static JsonNode parse(String call, Upstream upstream, byte[] body) {
        if (body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CallFailure(call, CallFailure.Kind.FAILED, upstream.name() + " answered with a body that is not JSON");
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
