package io.gridgate.node.admin;

import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard's static files, read from the classpath once and served from memory: a fixed set
 * of names, so no request path ever reaches a resource lookup. They hold no data and need no token;
 * the page asks for the admin token and sends it with each call to {@code /admin/overview}.
 * Every answer forbids inline script and every origin but this one: the page writes registry data
 * as text only, and the policy is there in case it ever did not.
 */
final class DashboardAssets {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final String PAGE = "index.html";
    private static final Map<String, String> TYPES = Map.of(
            PAGE, "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");

    private final Map<String, Asset> assets;

    private DashboardAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    private record Asset(String contentType, byte[] body) {
    }

    /** Reads every file; a missing one is a packaging fault, reported at start rather than per request. */
    static DashboardAssets load() {
        Map<String, Asset> assets = new HashMap<>();
        TYPES.forEach((name, type) -> assets.put(name, new Asset(type, read(name))));
        return new DashboardAssets(Map.copyOf(assets));
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard resource /dashboard/" + name + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /dashboard}: the page. */
    HttpHandler page() {
        return exchange -> send(exchange, assets.get(PAGE));
    }

    /** {@code GET /dashboard/{asset}}: its script and style sheet. */
    HttpHandler asset() {
        return exchange -> {
            Asset asset = assets.get(AdminExchanges.pathParameter(exchange, "asset"));
            if (asset == null) {
                LocalReply.send(exchange, Reason.NO_ROUTE, "the dashboard has no such file");
            } else {
                send(exchange, asset);
            }
        };
    }

    private static void send(HttpServerExchange exchange, Asset asset) {
        var headers = exchange.getResponseHeaders();
        headers.put(Headers.CONTENT_TYPE, asset.contentType());
        // Revalidated on every load, so an upgraded node never runs last version's script.
        headers.put(Headers.CACHE_CONTROL, "no-cache");
        headers.put(Headers.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        headers.put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        headers.put(Headers.X_FRAME_OPTIONS, "DENY");
        headers.put(Headers.REFERRER_POLICY, "no-referrer");
        exchange.setResponseContentLength(asset.body().length);
        exchange.getResponseSender().send(ByteBuffer.wrap(asset.body()));
    }
}
