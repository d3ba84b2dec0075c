package io.gridgate.node.admin;

import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * {@code GET /openapi.json}: the admin API described in OpenAPI 3, as written by hand next to the
 * code. It is read from the classpath once, at start, and served as it is; {@code OpenApiTest}
 * keeps it true by comparing it with the endpoints the admin listener serves.
 */
final class OpenApiDocument {

    static final String RESOURCE = "/openapi.json";

    private OpenApiDocument() {
    }

    /** Fails at start, not on the first request, when the document is missing from the build. */
    static HttpHandler handler() {
        byte[] document = read();
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.setResponseContentLength(document.length);
            exchange.getResponseSender().send(ByteBuffer.wrap(document));
        };
    }

    private static byte[] read() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
    }
}
