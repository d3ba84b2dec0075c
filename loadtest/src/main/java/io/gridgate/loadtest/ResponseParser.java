package io.gridgate.loadtest;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Finds where an HTTP/1.1 response ends, fed in whatever pieces the socket delivers.
 *
 * <p>It reads only the status, Content-Length, Transfer-Encoding and Connection; bodies are skipped without copying,
 * and compared on the way with the {@link ExpectedBody} if there is one. A response framed by connection close is
 * rejected: on keep-alive it would make the next response unreadable.
 */
final class ResponseParser {

    private static final int MAX_LINE_BYTES = 8192;
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] HTTP_1 = ascii("HTTP/1.");

    private enum State { STATUS_LINE, HEADER_LINE, BODY, CHUNK_SIZE_LINE, CHUNK_DATA, CHUNK_DATA_END, TRAILER_LINE, DONE }

    private final byte[] line = new byte[MAX_LINE_BYTES];
    /** Null when bodies are not checked. */
    private final ExpectedBody.Progress body;
    private int lineLength;
    private boolean lineComplete;
    private State state = State.STATUS_LINE;
    private int status;
    private long contentLength;
    private boolean chunked;
    private boolean connectionClose;
    private long remaining;

    ResponseParser() {
        this(null);
    }

    /** A parser that also compares each body with {@code expected}; null for none. */
    ResponseParser(ExpectedBody expected) {
        this.body = expected == null ? null : expected.progress();
        reset();
    }

    /** Gets ready for the next response on the connection. */
    void reset() {
        lineLength = 0;
        lineComplete = false;
        state = State.STATUS_LINE;
        status = 0;
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        remaining = 0;
        if (body != null) {
            body.reset();
        }
    }

    /**
     * Consumes bytes from {@code in} up to the end of the current response.
     *
     * @return true when the response is complete; bytes after it are left in {@code in}
     */
    boolean feed(ByteBuffer in) throws ProtocolException {
        while (state != State.DONE && in.hasRemaining()) {
            switch (state) {
                case STATUS_LINE -> {
                    if (readLine(in)) {
                        parseStatusLine();
                        state = State.HEADER_LINE;
                    }
                }
                case HEADER_LINE -> {
                    if (readLine(in)) {
                        if (lineLength == 0) {
                            endOfHead();
                        } else {
                            parseHeader();
                        }
                    }
                }
                case BODY -> {
                    if (skip(in) == 0) {
                        state = State.DONE;
                    }
                }
                case CHUNK_SIZE_LINE -> {
                    if (readLine(in)) {
                        remaining = parseChunkSize();
                        state = remaining == 0 ? State.TRAILER_LINE : State.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA -> {
                    if (skip(in) == 0) {
                        state = State.CHUNK_DATA_END;
                    }
                }
                case CHUNK_DATA_END -> {
                    if (readLine(in)) {
                        if (lineLength != 0) {
                            throw new ProtocolException("chunk data longer than its declared size");
                        }
                        state = State.CHUNK_SIZE_LINE;
                    }
                }
                case TRAILER_LINE -> {
                    if (readLine(in) && lineLength == 0) {
                        state = State.DONE;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return state == State.DONE;
    }

    /** The status code, valid once the status line has been read. */
    int status() {
        return status;
    }

    /** Whether the server will close the connection after this response. */
    boolean connectionClose() {
        return connectionClose;
    }

    /**
     * Whether the body of the response just read was the expected one (true when bodies are not checked); valid once
     * {@link #feed} has returned true.
     */
    boolean bodyAsExpected() {
        return body == null || body.complete();
    }

    private long skip(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        if (body != null) {
            body.feed(in, n);
        }
        in.position(in.position() + n);
        remaining -= n;
        return remaining;
    }

    /** Accumulates one line; true when its LF arrived, with the line (CR stripped) in {@code line[0..lineLength)}. */
    private boolean readLine(ByteBuffer in) throws ProtocolException {
        if (lineComplete) {
            lineLength = 0;
            lineComplete = false;
        }
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                lineComplete = true;
                return true;
            }
            if (lineLength == MAX_LINE_BYTES) {
                throw new ProtocolException("response line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line[lineLength++] = b;
        }
        return false;
    }

    private void parseStatusLine() throws ProtocolException {
        // "HTTP/1.1 200 OK": the code is always at 9..11.
        if (lineLength < 12 || !startsWith(HTTP_1) || line[8] != ' ') {
            throw new ProtocolException("bad status line: " + lineText());
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new ProtocolException("bad status line: " + lineText());
            }
            code = code * 10 + digit;
        }
        status = code;
        connectionClose = line[7] == '0'; // HTTP/1.0 closes unless told otherwise; the generator does not ask
    }

    private void parseHeader() throws ProtocolException {
        int colon = indexOf((byte) ':');
        if (colon <= 0) {
            throw new ProtocolException("bad header line: " + lineText());
        }
        if (nameIs(CONTENT_LENGTH, colon)) {
            contentLength = parseContentLength(colon + 1);
        } else if (nameIs(TRANSFER_ENCODING, colon)) {
            chunked = valueContains(colon + 1, CHUNKED);
        } else if (nameIs(CONNECTION, colon)) {
            connectionClose = valueContains(colon + 1, CLOSE);
        }
    }

    private void endOfHead() throws ProtocolException {
        if (status >= 100 && status < 200) {
            reset(); // an interim response (100 Continue); the real one follows
            return;
        }
        if (status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE_LINE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = contentLength == 0 ? State.DONE : State.BODY;
        } else {
            throw new ProtocolException("status " + status + " response has neither Content-Length nor chunked body");
        }
    }

    private long parseContentLength(int from) throws ProtocolException {
        long value = -1;
        for (int i = from; i < lineLength; i++) {
            byte b = line[i];
            if (b == ' ' || b == '\t') {
                continue;
            }
            if (b < '0' || b > '9' || value > (Long.MAX_VALUE - 9) / 10) {
                throw new ProtocolException("bad Content-Length: " + lineText());
            }
            value = Math.max(value, 0) * 10 + (b - '0');
        }
        if (value < 0) {
            throw new ProtocolException("bad Content-Length: " + lineText());
        }
        return value;
    }

    private long parseChunkSize() throws ProtocolException {
        long size = 0;
        int digits = 0;
        for (int i = 0; i < lineLength; i++) {
            int d = Character.digit(line[i], 16);
            if (d < 0) {
                break; // chunk extensions (";name=value") and padding are ignored
            }
            if (++digits > 15) {
                throw new ProtocolException("chunk size too large: " + lineText());
            }
            size = size * 16 + d;
        }
        if (digits == 0) {
            throw new ProtocolException("bad chunk size line: " + lineText());
        }
        return size;
    }

    private boolean nameIs(byte[] lowerName, int colon) {
        return colon == lowerName.length && regionMatches(0, lowerName);
    }

    /** Case-insensitive search without allocating: Undertow sends a Connection header on every response. */
    private boolean valueContains(int from, byte[] lowerToken) {
        for (int i = from; i + lowerToken.length <= lineLength; i++) {
            if (regionMatches(i, lowerToken)) {
                return true;
            }
        }
        return false;
    }

    private boolean regionMatches(int offset, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            byte b = line[offset + i];
            if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(byte b) {
        for (int i = 0; i < lineLength; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private boolean startsWith(byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private String lineText() {
        return new String(line, 0, Math.min(lineLength, 200), StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
