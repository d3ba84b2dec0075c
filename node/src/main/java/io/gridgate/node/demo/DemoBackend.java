package io.gridgate.node.demo;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

import java.net.InetSocketAddress;

/** An upstream that says hello and echoes what it received, so a new user can see the proxy at work. */
public final class DemoBackend implements AutoCloseable {

    private final Undertow undertow;

    private DemoBackend(Undertow undertow) {
        this.undertow = undertow;
    }

    public static DemoBackend start(String host, int port) {
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, host)
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(DemoBackend::handle)
                .build();
        undertow.start();
        return new DemoBackend(undertow);
    }

    private static void handle(HttpServerExchange exchange) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"service\":\"demo\",\"message\":\"Hello from the demo upstream, through Gridgate\"");
        json.append(",\"method\":\"").append(exchange.getRequestMethod()).append('"');
        json.append(",\"path\":\"").append(escape(exchange.getRequestURI())).append('"');
        json.append(",\"headers\":{");
        boolean first = true;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            json.append(first ? "" : ",").append('"').append(escape(values.getHeaderName().toString()))
                    .append("\":\"").append(escape(String.join(", ", values))).append('"');
            first = false;
        }
        json.append("}}\n");
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json.toString());
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
