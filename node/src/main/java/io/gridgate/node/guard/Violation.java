package io.gridgate.node.guard;

import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.util.StatusCodes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A rule a request broke, with the reason and message the client is told. Each also carries the
 * whole raw response, built once, for refusals made before Undertow has an exchange to reply on.
 */
enum Violation {
    REQUEST_LINE(Reason.MALFORMED_REQUEST,
            "the request line must be a method, one space, a target, one space and the version"),
    METHOD(Reason.MALFORMED_REQUEST, "the method contains a character outside the token set"),
    TARGET(Reason.MALFORMED_REQUEST, "the request target contains a control character"),
    VERSION(Reason.MALFORMED_REQUEST, "the protocol version must be HTTP/1.1 or HTTP/1.0"),
    URI_TOO_LONG(Reason.URI_TOO_LONG, "the request target is longer than server.limits.maxUrlBytes"),
    OBS_FOLD(Reason.MALFORMED_REQUEST, "a header line starts with whitespace (obs-fold)"),
    BARE_CR(Reason.MALFORMED_REQUEST, "a CR is not followed by LF"),
    BARE_LF(Reason.MALFORMED_REQUEST, "a line ends with LF without CR"),
    CONTROL_CHARACTER(Reason.MALFORMED_REQUEST, "a header value contains a control character"),
    FIELD_NAME(Reason.MALFORMED_REQUEST, "a header name is empty or contains a character outside the token set"),
    SPACE_BEFORE_COLON(Reason.MALFORMED_REQUEST, "whitespace between a header name and its colon"),
    NO_COLON(Reason.MALFORMED_REQUEST, "a header line has no colon"),
    TOO_MANY_HEADERS(Reason.HEADERS_TOO_LARGE, "more header fields than server.limits.maxHeaders"),
    HEAD_TOO_LARGE(Reason.HEADERS_TOO_LARGE, "the request head is larger than server.maxRequestHeaderBytes"),
    MISSING_HOST(Reason.INVALID_HOST, "an HTTP/1.1 request needs a Host header"),
    DUPLICATE_HOST(Reason.INVALID_HOST, "more than one Host header"),
    EMPTY_HOST(Reason.INVALID_HOST, "the Host header is empty"),
    TRANSFER_ENCODING(Reason.AMBIGUOUS_FRAMING, "Transfer-Encoding must be exactly chunked"),
    DUPLICATE_TRANSFER_ENCODING(Reason.AMBIGUOUS_FRAMING, "more than one Transfer-Encoding header"),
    TRANSFER_ENCODING_IN_HTTP10(Reason.AMBIGUOUS_FRAMING, "Transfer-Encoding in an HTTP/1.0 request"),
    CONTENT_LENGTH_AND_TRANSFER_ENCODING(Reason.AMBIGUOUS_FRAMING, "both Content-Length and Transfer-Encoding"),
    DUPLICATE_CONTENT_LENGTH(Reason.AMBIGUOUS_FRAMING, "more than one Content-Length header"),
    CONTENT_LENGTH(Reason.AMBIGUOUS_FRAMING,
            "Content-Length must be 1 to 18 decimal digits, without sign, list or leading zero"),
    CHUNK_SIZE(Reason.AMBIGUOUS_FRAMING, "a chunk size must be 1 to 16 hex digits"),
    CHUNK_EXTENSION(Reason.AMBIGUOUS_FRAMING, "a chunk extension is malformed or too long"),
    CHUNK_END(Reason.AMBIGUOUS_FRAMING, "chunk data must be followed by CRLF"),
    DATA_AFTER_UPGRADE(Reason.MALFORMED_REQUEST, "data arrived before the upgrade request was answered");

    private final Reason reason;
    private final String message;
    private final byte[] response;

    Violation(Reason reason, String message) {
        this.reason = reason;
        this.message = message;
        this.response = response(reason, message);
    }

    Reason reason() {
        return reason;
    }

    String message() {
        return message;
    }

    /** The raw response, status line to body, that closes the connection; a fresh buffer each call. */
    ByteBuffer response() {
        return ByteBuffer.wrap(response);
    }

    /** The same JSON as {@code LocalReply} writes, with {@code Connection: close}. */
    private static byte[] response(Reason reason, String message) {
        byte[] body = LocalReply.json(reason, message).getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + reason.status() + " " + StatusCodes.getReason(reason.status()) + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Cache-Control: no-store\r\n"
                + "Connection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
