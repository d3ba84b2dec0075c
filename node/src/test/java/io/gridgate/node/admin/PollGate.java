package io.gridgate.node.admin;

import io.gridgate.node.testing.TestUpstream;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * What the browser talks to instead of the node's admin port: it passes every request on, but before
 * it passes on the n-th poll of {@code /admin/overview} it runs the test's step for that poll, so each
 * change to the cluster lands between two polls of a page that is already loaded. Headless Chromium
 * holds its virtual clock while a fetch is pending, so a slow step costs no polls.
 */
final class PollGate implements HttpHandler, AutoCloseable {

    private static final String OVERVIEW = "/admin/overview";

    private final String target;
    private final IntConsumer beforePoll;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger polls = new AtomicInteger();
    private final List<String> answers = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final TestUpstream server;

    /** Passes requests on to {@code adminPort}, running {@code beforePoll} with the poll's number (from 1). */
    PollGate(int adminPort, IntConsumer beforePoll) {
        this.target = "http://127.0.0.1:" + adminPort;
        this.beforePoll = beforePoll;
        this.server = TestUpstream.start(this);
    }

    int port() {
        return server.port();
    }

    /** The overviews the page was given, in order. */
    List<String> answers() {
        return List.copyOf(answers);
    }

    /** What the steps threw. */
    List<Throwable> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        boolean poll = exchange.getRequestPath().equals(OVERVIEW);
        if (poll) {
            try {
                beforePoll.accept(polls.incrementAndGet());
            } catch (RuntimeException | AssertionError e) {
                failures.add(e); // the page goes on; the test reports it after the render
            }
        }
        String query = exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestPath() + query))
                .timeout(Duration.ofSeconds(10));
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (poll) {
            answers.add(answer.body());
        }
        exchange.setStatusCode(answer.statusCode());
        answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type));
        exchange.getResponseSender().send(ByteBuffer.wrap(answer.body().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        server.close();
    }
}
