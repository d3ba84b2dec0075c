package io.gridgate.node.tracing;

import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces end to end: a real OTLP/HTTP receiver in the test decodes what the node exports with the
 * OTLP protobuf classes, and a real upstream records the traceparent it was sent.
 */
class TracingTest {

    private static final String CLIENT_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";

    private final ConcurrentLinkedQueue<Span> received = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Map<String, String>> resources = new ConcurrentLinkedQueue<>();
    private final TestUpstream collector = TestUpstream.start(exchange -> {
        if (exchange.isInIoThread()) {
            exchange.dispatch(exchange1 -> exchange1.getRequestReceiver().receiveFullBytes((ex, bytes) -> {
                try {
                    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);
                    request.getResourceSpansList().forEach(rs -> {
                        resources.add(attributes(rs.getResource().getAttributesList()));
                        rs.getScopeSpansList().forEach(ss -> received.addAll(ss.getSpansList()));
                    });
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/x-protobuf");
                    ex.getResponseSender().send("");
                } catch (Exception e) {
                    ex.setStatusCode(400);
                    ex.endExchange();
                }
            }));
        }
    });
    private final ConcurrentLinkedQueue<String> upstreamTraceparents = new ConcurrentLinkedQueue<>();
    private final AtomicInteger upstreamCalls = new AtomicInteger();
    private final TestUpstream upstream = TestUpstream.start(exchange -> {
        upstreamTraceparents.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
        if (exchange.getRequestPath().startsWith("/flaky") && upstreamCalls.incrementAndGet() == 1) {
            exchange.setStatusCode(503);
        }
        exchange.getResponseSender().send(exchange.getRequestPath().startsWith("/json") ? "{\"ok\": true}" : "ok");
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
        collector.close();
    }

    private void start(String routes) {
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                tracing:
                  endpoint: %s
                  protocol: http/protobuf
                  serviceName: gridgate-test
                  exportDelay: 50ms
                  resourceAttributes: {deployment.environment: test}
                routes:
                """.formatted(collector.url()) + routes.stripIndent().indent(2));
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().hasIntValue()
                ? Long.toString(kv.getValue().getIntValue()) : kv.getValue().getStringValue(), (a, b) -> a));
    }

    private static String hex(com.google.protobuf.ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    private List<Span> spans(int atLeast) {
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= atLeast);
        return List.copyOf(received);
    }

    @Test
    void aProxiedRequestHasAServerSpanAndAClientSpanAsItsChildAndTheUpstreamSeesTheTrace() throws Exception {
        start("""
                - {id: items, match: {pathPrefix: /items}, upstream: "%s"}
                """.formatted(upstream.url()));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/items/7?x=1"))
                .header("traceparent", "00-" + CLIENT_TRACE_ID + "-" + CLIENT_SPAN_ID + "-01")
                .header("User-Agent", "tracing-test").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        List<Span> spans = spans(2);
        Span server = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
        Span upstreamTry = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).findFirst().orElseThrow();

        assertThat(hex(server.getTraceId())).isEqualTo(CLIENT_TRACE_ID);
        assertThat(hex(server.getParentSpanId())).as("the client's span is the server span's parent").isEqualTo(CLIENT_SPAN_ID);
        assertThat(server.getName()).isEqualTo("GET /items/*");
        assertThat(attributes(server.getAttributesList())).containsEntry("http.request.method", "GET")
                .containsEntry("url.path", "/items/7").containsEntry("url.query", "x=1")
                .containsEntry("http.route", "/items/*").containsEntry("http.response.status_code", "200")
                .containsEntry("gridgate.route.id", "items").containsEntry("network.peer.address", "127.0.0.1")
                .containsEntry("user_agent.original", "tracing-test").containsKey("server.address");

        assertThat(hex(upstreamTry.getTraceId())).isEqualTo(CLIENT_TRACE_ID);
        assertThat(upstreamTry.getParentSpanId()).as("the try is the server span's child").isEqualTo(server.getSpanId());
        assertThat(attributes(upstreamTry.getAttributesList())).containsEntry("http.request.method", "GET")
                .containsEntry("http.response.status_code", "200").containsEntry("server.address", "127.0.0.1")
                .containsEntry("server.port", Integer.toString(upstream.port()))
                .containsEntry("gridgate.upstream.instance", "127.0.0.1:" + upstream.port());

        assertThat(upstreamTraceparents).singleElement().isEqualTo(
                "00-" + CLIENT_TRACE_ID + "-" + hex(upstreamTry.getSpanId()) + "-01");
        assertThat(resources).first().satisfies(resource -> assertThat(resource)
                .containsEntry("service.name", "gridgate-test").containsEntry("deployment.environment", "test"));
    }

    @Test
    void aRequestTheSamplerLeavesOutExportsNothingAndTheUpstreamStillSeesTheTraceNotSampled() throws Exception {
        start("""
                - {id: items, match: {pathPrefix: /items}, upstream: "%s"}
                """.formatted(upstream.url()));

        HttpResponse<String> unsampled = client.send(HttpRequest.newBuilder(gateway.uri("/items/1"))
                .header("traceparent", "00-" + CLIENT_TRACE_ID + "-" + CLIENT_SPAN_ID + "-00").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsampled.statusCode()).isEqualTo(200);
        HttpResponse<String> sampled = client.send(HttpRequest.newBuilder(gateway.uri("/items/2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sampled.statusCode()).isEqualTo(200);

        List<Span> spans = spans(2);
        assertThat(spans).hasSize(2).allSatisfy(span -> assertThat(hex(span.getTraceId())).isNotEqualTo(CLIENT_TRACE_ID));
        String sent = upstreamTraceparents.peek();
        assertThat(sent).startsWith("00-" + CLIENT_TRACE_ID + "-").endsWith("-00")
                .doesNotContain(CLIENT_SPAN_ID);
    }

    @Test
    void eachCallOfACompositionIsAClientSpanOfTheServerSpanAndCarriesItsOwnTraceparent() throws Exception {
        start("""
                - id: composed
                  match: {path: /composed}
                  compose:
                    calls:
                      - {id: first, upstream: "%1$s", path: /json/1}
                      - {id: second, upstream: "%1$s", path: /json/2}
                """.formatted(upstream.url()));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/composed"))
                .header("traceparent", "00-" + CLIENT_TRACE_ID + "-" + CLIENT_SPAN_ID + "-01").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        List<Span> spans = spans(3);
        Span server = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
        List<Span> calls = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).toList();
        assertThat(calls).hasSize(2).allSatisfy(call -> {
            assertThat(hex(call.getTraceId())).isEqualTo(CLIENT_TRACE_ID);
            assertThat(call.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(attributes(call.getAttributesList())).containsEntry("http.response.status_code", "200");
        });
        assertThat(calls).extracting(call -> attributes(call.getAttributesList()).get("gridgate.compose.call"))
                .containsExactlyInAnyOrder("first", "second");
        assertThat(calls).extracting(Span::getName).containsExactlyInAnyOrder("GET first", "GET second");
        assertThat(upstreamTraceparents).containsExactlyInAnyOrderElementsOf(calls.stream()
                .map(call -> "00-" + CLIENT_TRACE_ID + "-" + hex(call.getSpanId()) + "-01").toList());
    }

    @Test
    void eachRetryIsASpanOfItsOwnUnderTheSameServerSpan() throws Exception {
        start("""
                - {id: flaky, match: {pathPrefix: /flaky}, upstream: "%s", retry: {attempts: 2, backoff: {base: 1ms, max: 2ms}}}
                """.formatted(upstream.url()));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/flaky")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        List<Span> spans = spans(3);
        Span server = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
        List<Span> tries = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).toList();
        assertThat(tries).hasSize(2).allSatisfy(t -> assertThat(t.getParentSpanId()).isEqualTo(server.getSpanId()));
        assertThat(tries).extracting(t -> attributes(t.getAttributesList()).get("http.response.status_code"))
                .containsExactlyInAnyOrder("503", "200");
        assertThat(tries).extracting(t -> Optional.ofNullable(attributes(t.getAttributesList())
                .get("http.request.resend_count"))).containsExactlyInAnyOrder(Optional.empty(), Optional.of("1"));
        assertThat(tries).filteredOn(t -> t.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR)
                .hasSize(1);
        // A new trace, since the client sent none; both tries carried it upstream, each as its own parent.
        assertThat(upstreamTraceparents).hasSize(2).allSatisfy(tp -> assertThat(tp).contains(hex(server.getTraceId())));
    }

    @Test
    void spansACollectorRefusesAreCountedAndCostTheRequestsNothing() throws Exception {
        TestUpstream refusing = TestUpstream.start(exchange -> {
            exchange.setStatusCode(400); // not retried by the exporter: the batch is lost at once
            exchange.endExchange();
        });
        try {
            gateway = TestGateway.start("""
                    server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                    admin: {bindAddress: 127.0.0.1, port: 0}
                    tracing: {endpoint: "%s", exportDelay: 50ms}
                    routes:
                      - {id: items, match: {pathPrefix: /items}, upstream: "%s"}
                    """.formatted(refusing.url(), upstream.url()));
            for (int i = 0; i < 3; i++) {
                assertThat(client.send(HttpRequest.newBuilder(gateway.uri("/items")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            // A server span and a client span per request.
            await().atMost(Duration.ofSeconds(10)).until(() -> notExported() >= 6);
        } finally {
            refusing.close();
        }
    }

    private double notExported() throws Exception {
        return counter("gridgate_tracing_spans_not_exported_total");
    }

    private double counter(String name) throws Exception {
        String metrics = client.send(HttpRequest.newBuilder(gateway.adminUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(-1);
    }

    @Test
    void spansAFullQueueDropsAreCountedAndCostTheRequestsNothing() throws Exception {
        // A collector that holds every export until the test ends: the one-span queue stays full.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        TestUpstream slow = TestUpstream.start(exchange -> {
            if (exchange.isInIoThread()) {
                exchange.dispatch(exchange1 -> {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    exchange1.getResponseSender().send("");
                });
            }
        });
        try {
            gateway = TestGateway.start("""
                    server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 5s}
                    admin: {bindAddress: 127.0.0.1, port: 0}
                    accessLog: {enabled: false}
                    tracing: {endpoint: "%s", exportDelay: 10ms, maxQueueSize: 1}
                    routes:
                      - {id: items, match: {pathPrefix: /items}, upstream: "%s"}
                    """.formatted(slow.url(), upstream.url()));
            for (int i = 0; i < 10; i++) {
                assertThat(client.send(HttpRequest.newBuilder(gateway.uri("/items")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            // 20 spans through a queue of one whose export never completes: all but the first two are dropped.
            await().atMost(Duration.ofSeconds(5)).until(() -> counter("gridgate_tracing_spans_dropped_total") >= 10);
        } finally {
            release.countDown();
            gateway.close();
            gateway = null;
            slow.close();
        }
    }

    @Test
    void aLocalReplyIsOnTheServerSpanWithItsReason() throws Exception {
        start("""
                - {id: items, match: {pathPrefix: /items}, upstream: "%s"}
                """.formatted(upstream.url()));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/nowhere")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);

        Span server = spans(1).get(0);
        assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(attributes(server.getAttributesList())).containsEntry("gridgate.local_reply.reason", "no_route")
                .containsEntry("http.response.status_code", "404").doesNotContainKey("gridgate.route.id");
        assertThat(server.getStatus().getCode()).as("a 4xx is not the server's error")
                .isNotEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    }
}
