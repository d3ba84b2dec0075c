package io.gridgate.loadtest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The request every connection sends, apart from where it goes: method, extra headers and body. Encoded once per
 * {@link Endpoint}, never per request.
 */
public final class RequestTemplate {

    /** Framing is the generator's: it sets Content-Length from the body and reads one response per request. */
    private static final Set<String> RESERVED = Set.of("content-length", "transfer-encoding");
    /** HEAD answers carry a Content-Length but no body, and CONNECT leaves HTTP: the parser reads neither. */
    private static final Set<String> UNSUPPORTED_METHODS = Set.of("HEAD", "CONNECT");
    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");
    private static final RequestTemplate GET = new RequestTemplate("GET", List.of(), new byte[0]);

    private final String method;
    private final List<Header> headers;
    private final byte[] body;

    private RequestTemplate(String method, List<Header> headers, byte[] body) {
        this.method = method;
        this.headers = headers;
        this.body = body;
    }

    /** A GET with no extra header: what the benchmarks send. */
    public static RequestTemplate get() {
        return GET;
    }

    /**
     * {@code method} with {@code headers} (sent after {@code Host}, {@code User-Agent} and {@code Accept}, which a
     * header of the same name replaces) and {@code body} (empty for none).
     */
    public static RequestTemplate of(String method, List<Header> headers, byte[] body) {
        if (method == null || method.isEmpty() || !method.chars().allMatch(RequestTemplate::isTokenChar)) {
            throw new IllegalArgumentException("method: " + method + " (expected: a token such as GET or POST)");
        }
        if (UNSUPPORTED_METHODS.contains(method)) {
            throw new IllegalArgumentException("method: " + method + " (expected: not HEAD or CONNECT; the generator"
                    + " reads a full response to every request)");
        }
        for (Header h : headers) {
            if (RESERVED.contains(h.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header: " + h.name() + " (expected: not Content-Length or"
                        + " Transfer-Encoding; the generator frames the body itself)");
            }
        }
        return new RequestTemplate(method, List.copyOf(headers), body.clone());
    }

    public String method() {
        return method;
    }

    public List<Header> headers() {
        return headers;
    }

    public int bodyLength() {
        return body.length;
    }

    /** The request for {@code endpoint}, as a read-only buffer that connections share through views. */
    public ByteBuffer encode(Endpoint endpoint) {
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(endpoint.path()).append(" HTTP/1.1\r\n");
        defaultHeader(head, "Host", endpoint.authority());
        defaultHeader(head, "User-Agent", "gridgate-loadtest");
        defaultHeader(head, "Accept", "*/*");
        for (Header h : headers) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        if (body.length > 0 || METHODS_WITH_BODY.contains(method)) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        byte[] bytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length + body.length).put(bytes).put(body).flip().asReadOnlyBuffer();
    }

    private void defaultHeader(StringBuilder head, String name, String value) {
        if (headers.stream().noneMatch(h -> h.name().equalsIgnoreCase(name))) {
            head.append(name).append(": ").append(value).append("\r\n");
        }
    }

    @Override
    public String toString() {
        return method + (headers.isEmpty() ? "" : " with " + headers.size() + " header(s)")
                + (body.length == 0 ? "" : ", " + body.length + "-byte body");
    }

    private static boolean isTokenChar(int c) {
        return c > ' ' && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    /**
     * One extra request header.
     *
     * @param name a token, e.g. {@code Authorization}
     * @param value printable ASCII, e.g. {@code Bearer eyJ...}
     */
    public record Header(String name, String value) {

        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || !name.chars().allMatch(RequestTemplate::isTokenChar)) {
                throw new IllegalArgumentException("header name: " + name + " (expected: a token such as"
                        + " Authorization)");
            }
            if (!value.chars().allMatch(c -> c == '\t' || (c >= ' ' && c < 127))) {
                throw new IllegalArgumentException("header " + name + ": value (expected: printable ASCII, no line"
                        + " breaks)");
            }
        }

        /** Reads {@code "Name: value"}, as curl's {@code -H} takes it; spaces around the value are dropped. */
        public static Header parse(String line) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("header: " + line + " (expected: Name: value)");
            }
            return new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }

        /** The header with its value hidden, for reports: a JWT must not end up in a results file. */
        public String redacted() {
            return name + ": " + (value.isEmpty() ? "" : "<" + value.length() + " chars>");
        }
    }
}
