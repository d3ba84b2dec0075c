package io.gridgate.node.guard;

import java.nio.ByteBuffer;

/**
 * Checks the bytes of one HTTP/1.1 connection, in the order they arrive, against the strict grammar
 * of RFC 9112: request line, header fields, chunk lines and trailers. It follows the message framing
 * itself ({@code Content-Length} or chunked) so that it knows where each head starts, and skips
 * bodies and chunk data without looking at them. It stops at the first violation and remembers which
 * request (counted from 0 on the connection) broke the rule.
 *
 * <p>Pure and single-threaded: the connection's I/O thread feeds it. It never allocates after
 * construction.
 */
final class HeadScanner {

    private static final byte TOKEN = 1;
    private static final byte FIELD = 2;
    private static final byte TARGET = 4;
    private static final byte HEX = 8;
    private static final byte[] CLASS = new byte[256];

    static {
        for (int c = 0x21; c < 0x100; c++) {
            if (c != 0x7f) {
                CLASS[c] |= FIELD | TARGET;
            }
        }
        CLASS[' '] |= FIELD;
        CLASS['\t'] |= FIELD;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            CLASS[c] |= TOKEN;
        }
        for (int c = '0'; c <= '9'; c++) {
            CLASS[c] |= TOKEN | HEX;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            CLASS[c] |= TOKEN;
            CLASS[c - 32] |= TOKEN;
        }
        for (int c = 'a'; c <= 'f'; c++) {
            CLASS[c] |= HEX;
            CLASS[c - 32] |= HEX;
        }
    }

    /** A chunk-size line (size and extensions) longer than this is refused. */
    static final int MAX_CHUNK_LINE = 4096;
    private static final int MAX_LENGTH_DIGITS = 18;
    private static final int MAX_CHUNK_DIGITS = 16;

    private static final long PRI = 'P' << 16 | 'R' << 8 | 'I';
    private static final long CONNECT = ascii("CONNECT");
    private static final long HTTP_1_1 = ascii("HTTP/1.1");
    private static final long HTTP_1_0 = ascii("HTTP/1.0");
    private static final long HTTP_2_0 = ascii("HTTP/2.0");
    private static final byte[] CONTENT_LENGTH = {'c', 'o', 'n', 't', 'e', 'n', 't', '-', 'l', 'e', 'n', 'g', 't', 'h'};
    private static final byte[] TRANSFER_ENCODING =
        {'t', 'r', 'a', 'n', 's', 'f', 'e', 'r', '-', 'e', 'n', 'c', 'o', 'd', 'i', 'n', 'g'};
    private static final byte[] HOST = {'h', 'o', 's', 't'};
    private static final byte[] UPGRADE = {'u', 'p', 'g', 'r', 'a', 'd', 'e'};
    private static final byte[] CHUNKED = {'c', 'h', 'u', 'n', 'k', 'e', 'd'};

    // Head states: request line and header fields (trailer fields reuse the field states).
    private static final int LINE_START = 0;
    private static final int METHOD = 1;
    private static final int TARGET_STATE = 2;
    private static final int VERSION = 3;
    private static final int LINE_LF = 4;
    private static final int FIELD_START = 5;
    private static final int NAME = 6;
    private static final int VALUE = 7;
    private static final int FIELD_LF = 8;
    private static final int HEAD_LF = 9;
    private static final int VALUE_LEAD = 10;
    // Chunk-line states.
    private static final int CHUNK_START = 20;
    private static final int CHUNK_DIGITS = 21;
    private static final int CHUNK_BWS = 22;
    private static final int EXT_NAME_START = 23;
    private static final int EXT_NAME = 24;
    private static final int EXT_AFTER_NAME = 25;
    private static final int EXT_VALUE_START = 26;
    private static final int EXT_TOKEN = 27;
    private static final int EXT_QUOTED = 28;
    private static final int EXT_ESCAPE = 29;
    private static final int EXT_AFTER_VALUE = 30;
    private static final int CHUNK_LF = 31;
    private static final int CHUNK_DATA_CR = 32;
    private static final int CHUNK_DATA_LF = 33;
    // Bulk states: bytes are counted or skipped, never inspected.
    private static final int BODY = 40;
    private static final int CHUNK_DATA = 41;
    private static final int PAUSED = 42;
    private static final int TUNNEL = 43;
    private static final int FAILED = 44;
    private static final int STOPPED = 45;

    private static final int OTHER = 0;
    private static final int KIND_CONTENT_LENGTH = 1;
    private static final int KIND_TRANSFER_ENCODING = 2;
    private static final int KIND_HOST = 3;

    private final int maxHeadBytes;
    private final int maxFields;
    private final int maxTargetBytes;
    private final boolean http2;

    private int state = LINE_START;
    private int request;
    private Violation violation;
    private int violationRequest = -1;

    // The request being scanned.
    private int headBytes;
    private int fields;
    private int targetBytes;
    private long method;
    private int methodLength;
    private long version;
    private int versionLength;
    private boolean http10;
    private boolean trailer;
    private boolean upgrade;
    private int hosts;
    private boolean hasLength;
    private long length;
    private int lengthDigits;
    private boolean chunked;
    private int chunkedMatched;
    // The field being scanned.
    private byte[] candidate;
    private int nameLength;
    private int kind;
    private int valueBytes;
    private boolean valueEnded;
    // The body being skipped.
    private long remaining;
    private long chunkSize;
    private int chunkDigits;
    private int chunkLineBytes;
    // An upgrade request waiting for its answer.
    private int pausedRequest = -1;
    private boolean pausedConnect;
    private long pausedBytes;

    /**
     * @param maxHeadBytes bound on a request head, request line to blank line, and on a trailer section
     * @param maxFields bound on the header fields of a request, and on its trailer fields
     * @param maxTargetBytes bound on the request target
     * @param http2 whether {@code PRI * HTTP/2.0} (HTTP/2 with prior knowledge) is served
     */
    HeadScanner(int maxHeadBytes, int maxFields, int maxTargetBytes, boolean http2) {
        this.maxHeadBytes = maxHeadBytes;
        this.maxFields = maxFields;
        this.maxTargetBytes = maxTargetBytes;
        this.http2 = http2;
    }

    /**
     * Scans {@code buffer[from, to)} (absolute positions; the buffer's position is not moved).
     *
     * @return false if the connection broke a rule, in these bytes or before
     */
    boolean scan(ByteBuffer buffer, int from, int to) {
        int i = from;
        while (i < to) {
            switch (state) {
                case BODY -> {
                    int n = (int) Math.min(remaining, to - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        requestDone();
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, to - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = CHUNK_DATA_CR;
                    }
                }
                case PAUSED -> {
                    pausedBytes += to - i;
                    i = to;
                }
                case TUNNEL, FAILED, STOPPED -> {
                    return state != FAILED;
                }
                default -> i = state < CHUNK_START ? head(buffer, i, to) : chunkLine(buffer, i, to);
            }
        }
        return state != FAILED;
    }

    /** The rule broken, or null. */
    Violation violation() {
        return violation;
    }

    /** The index on the connection of the request that broke the rule, or -1. */
    int violationRequest() {
        return violationRequest;
    }

    /** The index of the request being scanned: the number of requests scanned to their end. */
    int request() {
        return request;
    }

    /** Whether the scanner waits for the answer to request {@code index}, an upgrade (see {@link #exchangeCompleted}). */
    boolean waitsForAnswerTo(int index) {
        return state == PAUSED && pausedRequest == index;
    }

    /** Whether the scanner has stopped looking (a violation, a tunnel, or {@link #stop()}). */
    boolean stopped() {
        return state >= TUNNEL;
    }

    /** Stops scanning for good: the connection is being refused or has left HTTP/1.1. */
    void stop() {
        if (state != FAILED) {
            state = STOPPED;
        }
    }

    /**
     * Tells the scanner that the exchange of request {@code index} is complete. After an upgrade
     * request the scanner waits for this: a 101 (or a 2xx to CONNECT) turns the connection into a
     * tunnel that is no longer HTTP/1.1; any other answer resumes scanning, and bytes the client sent
     * before it are refused, since a client must wait for the answer to an upgrade.
     */
    void exchangeCompleted(int index, int status) {
        if (state != PAUSED || index != pausedRequest) {
            return;
        }
        if (status == 101 || pausedConnect && status >= 200 && status < 300) {
            state = TUNNEL;
        } else if (pausedBytes > 0) {
            fail(Violation.DATA_AFTER_UPGRADE);
        } else {
            state = LINE_START;
        }
    }

    private int head(ByteBuffer b, int i, int to) {
        while (i < to) {
            byte c = b.get(i);
            switch (state) {
                case LINE_START -> {
                    if (!is(c, TOKEN)) {
                        return fail(c == '\r' || c == '\n' || c == ' ' || c == '\t' ? Violation.REQUEST_LINE : Violation.METHOD);
                    }
                    method = 0;
                    methodLength = 0;
                    state = METHOD;
                }
                case METHOD -> {
                    int start = i;
                    while (i < to && is(c = b.get(i), TOKEN)) {
                        method = method << 8 | c & 0xff;
                        i++;
                    }
                    methodLength += i - start;
                    headBytes += i - start;
                    if (headBytes > maxHeadBytes) {
                        return fail(Violation.HEAD_TOO_LARGE);
                    }
                    if (i == to) {
                        return i;
                    }
                    if (c != ' ') {
                        return fail(c == '\t' || c == '\r' || c == '\n' ? Violation.REQUEST_LINE : Violation.METHOD);
                    }
                    i++;
                    headBytes++;
                    targetBytes = 0;
                    state = TARGET_STATE;
                }
                case TARGET_STATE -> {
                    int start = i;
                    i = skip(b, i, to, TARGET, 0x21);
                    if (i < to) {
                        c = b.get(i);
                    }
                    targetBytes += i - start;
                    headBytes += i - start;
                    if (targetBytes > maxTargetBytes) {
                        return fail(Violation.URI_TOO_LONG);
                    }
                    if (headBytes > maxHeadBytes) {
                        return fail(Violation.HEAD_TOO_LARGE);
                    }
                    if (i == to) {
                        return i;
                    }
                    if (c == ' ' && targetBytes > 0) {
                        version = 0;
                        versionLength = 0;
                        state = VERSION;
                        if (to - i > 10 && b.get(i + 9) == '\r' && b.get(i + 10) == '\n') {
                            // The common case in one step: " HTTP/1.1\r\n".
                            long word = b.getLong(i + 1);
                            if (word == HTTP_1_1 || word == HTTP_1_0) {
                                version = word;
                                versionLength = 8;
                                http10 = word == HTTP_1_0;
                                headBytes += 11;
                                state = FIELD_START;
                                i += 11;
                                continue;
                            }
                        }
                    } else if (c == '\r' || c == '\n') {
                        return fail(Violation.VERSION);
                    } else if (c == ' ' || c == '\t') {
                        return fail(Violation.REQUEST_LINE);
                    } else {
                        return fail(Violation.TARGET);
                    }
                    i++;
                    headBytes++;
                }
                case VERSION -> {
                    if (c == '\r') {
                        if (!version()) {
                            return fail(Violation.VERSION);
                        }
                        state = LINE_LF;
                    } else if (c == '\n') {
                        return fail(Violation.BARE_LF);
                    } else if (c == ' ' || c == '\t') {
                        return fail(Violation.REQUEST_LINE);
                    } else if (versionLength == 8) {
                        return fail(Violation.VERSION);
                    } else {
                        version = version << 8 | c & 0xff;
                        versionLength++;
                    }
                    i++;
                    headBytes++;
                }
                case LINE_LF -> {
                    if (c != '\n') {
                        return fail(Violation.BARE_CR);
                    }
                    i++;
                    headBytes++;
                    if (version == HTTP_2_0) {
                        // HTTP/2 with prior knowledge: the rest of the preface and all that follows is HTTP/2.
                        state = TUNNEL;
                        return i;
                    }
                    state = FIELD_START;
                }
                case FIELD_START -> {
                    if (headBytes > maxHeadBytes) {
                        return fail(Violation.HEAD_TOO_LARGE);
                    }
                    if (c == '\r') {
                        state = HEAD_LF;
                        i++;
                        headBytes++;
                    } else if (is(c, TOKEN)) {
                        if (++fields > maxFields) {
                            return fail(Violation.TOO_MANY_HEADERS);
                        }
                        candidate = trailer ? null : candidate(c);
                        nameLength = 0;
                        state = NAME;
                    } else {
                        return fail(c == '\n' ? Violation.BARE_LF
                                : c == ' ' || c == '\t' ? Violation.OBS_FOLD : Violation.FIELD_NAME);
                    }
                }
                case NAME -> {
                    int start = i;
                    byte[] name = candidate;
                    while (i < to && is(c = b.get(i), TOKEN)) {
                        if (name != null) {
                            int at = nameLength + i - start;
                            if (at >= name.length || (c | 0x20) != name[at]) {
                                name = null;
                            }
                        }
                        i++;
                    }
                    candidate = name;
                    nameLength += i - start;
                    headBytes += i - start;
                    if (headBytes > maxHeadBytes) {
                        return fail(Violation.HEAD_TOO_LARGE);
                    }
                    if (i == to) {
                        return i;
                    }
                    if (c != ':') {
                        return fail(c == ' ' || c == '\t' ? Violation.SPACE_BEFORE_COLON
                                : c == '\r' || c == '\n' ? Violation.NO_COLON : Violation.FIELD_NAME);
                    }
                    if (!startValue()) {
                        return to;
                    }
                    i++;
                    headBytes++;
                    state = VALUE_LEAD;
                }
                case VALUE_LEAD -> {
                    if (c == ' ' || c == '\t') {
                        i++;
                        headBytes++;
                    } else if (c == '\r') {
                        if (kind != OTHER) {
                            return fail(kind == KIND_CONTENT_LENGTH ? Violation.CONTENT_LENGTH
                                    : kind == KIND_TRANSFER_ENCODING ? Violation.TRANSFER_ENCODING : Violation.EMPTY_HOST);
                        }
                        i++;
                        headBytes++;
                        state = FIELD_LF;
                    } else {
                        state = VALUE;
                    }
                }
                case VALUE -> {
                    int start = i;
                    if (kind == OTHER || kind == KIND_HOST) {
                        i = skip(b, i, to, FIELD, 0x20);
                        if (i < to) {
                            c = b.get(i);
                        }
                    } else {
                        while (i < to && is(c = b.get(i), FIELD)) {
                            if (!valueByte(c)) {
                                return to;
                            }
                            i++;
                        }
                    }
                    headBytes += i - start;
                    if (headBytes > maxHeadBytes) {
                        return fail(Violation.HEAD_TOO_LARGE);
                    }
                    if (i == to) {
                        return i;
                    }
                    if (c != '\r') {
                        return fail(c == '\n' ? Violation.BARE_LF : Violation.CONTROL_CHARACTER);
                    }
                    i++;
                    headBytes++;
                    state = FIELD_LF;
                }
                case FIELD_LF -> {
                    if (c != '\n') {
                        return fail(Violation.BARE_CR);
                    }
                    if (!endValue()) {
                        return to;
                    }
                    i++;
                    headBytes++;
                    state = FIELD_START;
                }
                case HEAD_LF -> {
                    if (c != '\n') {
                        return fail(Violation.BARE_CR);
                    }
                    headBytes++;
                    if (headBytes > maxHeadBytes) {
                        return fail(Violation.HEAD_TOO_LARGE);
                    }
                    if (trailer) {
                        requestDone();
                    } else {
                        endOfHead();
                    }
                    return i + 1;
                }
                default -> throw new IllegalStateException("not a head state: " + state);
            }
        }
        return i;
    }

    private int chunkLine(ByteBuffer b, int i, int to) {
        while (i < to) {
            byte c = b.get(i++);
            if (++chunkLineBytes > MAX_CHUNK_LINE) {
                return fail(Violation.CHUNK_EXTENSION);
            }
            if (c == '\n' && state != CHUNK_LF && state != CHUNK_DATA_LF) {
                return fail(state == CHUNK_DATA_CR ? Violation.CHUNK_END : Violation.BARE_LF);
            }
            boolean ws = c == ' ' || c == '\t';
            switch (state) {
                case CHUNK_START -> {
                    if (!is(c, HEX)) {
                        return fail(Violation.CHUNK_SIZE);
                    }
                    chunkSize = Character.digit(c, 16);
                    chunkDigits = 1;
                    state = CHUNK_DIGITS;
                }
                case CHUNK_DIGITS -> {
                    if (is(c, HEX)) {
                        if (++chunkDigits > MAX_CHUNK_DIGITS || chunkSize > Long.MAX_VALUE >> 4) {
                            return fail(Violation.CHUNK_SIZE);
                        }
                        chunkSize = chunkSize << 4 | Character.digit(c, 16);
                    } else if (c == '\r') {
                        state = CHUNK_LF;
                    } else if (c == ';') {
                        state = EXT_NAME_START;
                    } else if (ws) {
                        state = CHUNK_BWS;
                    } else {
                        return fail(Violation.CHUNK_SIZE);
                    }
                }
                case CHUNK_BWS -> {
                    if (c == ';') {
                        state = EXT_NAME_START;
                    } else if (!ws) {
                        return fail(Violation.CHUNK_SIZE);
                    }
                }
                case EXT_NAME_START -> {
                    if (is(c, TOKEN)) {
                        state = EXT_NAME;
                    } else if (!ws) {
                        return fail(Violation.CHUNK_EXTENSION);
                    }
                }
                case EXT_NAME, EXT_AFTER_NAME -> {
                    if (c == '=') {
                        state = EXT_VALUE_START;
                    } else if (!extensionSeparator(c, ws) && !(state == EXT_NAME && is(c, TOKEN))) {
                        return fail(Violation.CHUNK_EXTENSION);
                    }
                }
                case EXT_VALUE_START -> {
                    if (c == '"') {
                        state = EXT_QUOTED;
                    } else if (is(c, TOKEN)) {
                        state = EXT_TOKEN;
                    } else if (!ws) {
                        return fail(Violation.CHUNK_EXTENSION);
                    }
                }
                case EXT_TOKEN, EXT_AFTER_VALUE -> {
                    if (!extensionSeparator(c, ws) && !(state == EXT_TOKEN && is(c, TOKEN))) {
                        return fail(Violation.CHUNK_EXTENSION);
                    }
                }
                case EXT_QUOTED -> {
                    if (c == '"') {
                        state = EXT_AFTER_VALUE;
                    } else if (c == '\\') {
                        state = EXT_ESCAPE;
                    } else if (!is(c, FIELD)) {
                        return fail(Violation.CHUNK_EXTENSION);
                    }
                }
                case EXT_ESCAPE -> {
                    if (!is(c, FIELD)) {
                        return fail(Violation.CHUNK_EXTENSION);
                    }
                    state = EXT_QUOTED;
                }
                case CHUNK_LF -> {
                    if (c != '\n') {
                        return fail(Violation.BARE_CR);
                    }
                    if (chunkSize == 0) {
                        trailer = true;
                        fields = 0;
                        headBytes = 0;
                        state = FIELD_START;
                    } else {
                        remaining = chunkSize;
                        state = CHUNK_DATA;
                    }
                    return i;
                }
                case CHUNK_DATA_CR -> {
                    if (c != '\r') {
                        return fail(Violation.CHUNK_END);
                    }
                    state = CHUNK_DATA_LF;
                }
                case CHUNK_DATA_LF -> {
                    if (c != '\n') {
                        return fail(Violation.CHUNK_END);
                    }
                    chunkLineBytes = 0;
                    state = CHUNK_START;
                }
                default -> throw new IllegalStateException("not a chunk-line state: " + state);
            }
        }
        return i;
    }

    /** Moves past the separators that may follow an extension's name or value; false if c is not one. */
    private boolean extensionSeparator(byte c, boolean ws) {
        if (c == ';') {
            state = EXT_NAME_START;
        } else if (c == '\r') {
            state = CHUNK_LF;
        } else if (ws) {
            state = state == EXT_NAME || state == EXT_AFTER_NAME ? EXT_AFTER_NAME : EXT_AFTER_VALUE;
        } else {
            return false;
        }
        return true;
    }

    private boolean version() {
        if (versionLength != 8) {
            return false;
        }
        if (version == HTTP_1_1 || version == HTTP_1_0) {
            http10 = version == HTTP_1_0;
            return true;
        }
        return version == HTTP_2_0 && http2 && methodLength == 3 && method == PRI;
    }

    private static byte[] candidate(byte first) {
        return switch (first | 0x20) {
            case 'c' -> CONTENT_LENGTH;
            case 't' -> TRANSFER_ENCODING;
            case 'h' -> HOST;
            case 'u' -> UPGRADE;
            default -> null;
        };
    }

    /** At the colon: which field this is, and the duplicates it makes. False on a violation. */
    private boolean startValue() {
        kind = OTHER;
        valueBytes = 0;
        valueEnded = false;
        byte[] name = candidate != null && nameLength == candidate.length ? candidate : null;
        if (name == CONTENT_LENGTH) {
            if (hasLength) {
                return broke(Violation.DUPLICATE_CONTENT_LENGTH);
            }
            hasLength = true;
            kind = KIND_CONTENT_LENGTH;
        } else if (name == TRANSFER_ENCODING) {
            if (chunked) {
                return broke(Violation.DUPLICATE_TRANSFER_ENCODING);
            }
            chunked = true;
            kind = KIND_TRANSFER_ENCODING;
        } else if (name == HOST) {
            if (++hosts > 1) {
                return broke(Violation.DUPLICATE_HOST);
            }
            kind = KIND_HOST;
        } else if (name == UPGRADE) {
            upgrade = true;
        }
        return true;
    }

    /** One byte of a Content-Length, Transfer-Encoding or Host value (SP, HT, VCHAR or obs-text). */
    private boolean valueByte(byte c) {
        if (c == ' ' || c == '\t') {
            valueEnded = valueBytes > 0;
            return true;
        }
        switch (kind) {
            case KIND_CONTENT_LENGTH -> {
                if (valueEnded || c < '0' || c > '9' || valueBytes == MAX_LENGTH_DIGITS || valueBytes == 1 && length == 0) {
                    return broke(Violation.CONTENT_LENGTH);
                }
                length = length * 10 + c - '0';
            }
            case KIND_TRANSFER_ENCODING -> {
                if (valueEnded || valueBytes == CHUNKED.length || (c | 0x20) != CHUNKED[valueBytes]) {
                    return broke(Violation.TRANSFER_ENCODING);
                }
            }
            default -> throw new IllegalStateException("no byte-wise check for field kind " + kind);
        }
        valueBytes++;
        return true;
    }

    /** At the end of a field line. False on a violation. */
    private boolean endValue() {
        return switch (kind) {
            case KIND_CONTENT_LENGTH -> valueBytes > 0 || broke(Violation.CONTENT_LENGTH);
            case KIND_TRANSFER_ENCODING -> valueBytes == CHUNKED.length || broke(Violation.TRANSFER_ENCODING);
            default -> true;
        };
    }

    private void endOfHead() {
        if (!http10 && hosts == 0) {
            fail(Violation.MISSING_HOST);
        } else if (chunked) {
            if (hasLength) {
                fail(Violation.CONTENT_LENGTH_AND_TRANSFER_ENCODING);
            } else if (http10) {
                fail(Violation.TRANSFER_ENCODING_IN_HTTP10);
            } else {
                chunkLineBytes = 0;
                state = CHUNK_START;
            }
        } else if (hasLength && length > 0) {
            remaining = length;
            state = BODY;
        } else {
            requestDone();
        }
    }

    private void requestDone() {
        boolean connect = methodLength == 7 && method == CONNECT;
        if (upgrade || connect) {
            pausedRequest = request;
            pausedConnect = connect;
            pausedBytes = 0;
            state = PAUSED;
        } else {
            state = LINE_START;
        }
        request++;
        headBytes = 0;
        fields = 0;
        http10 = false;
        trailer = false;
        upgrade = false;
        hosts = 0;
        hasLength = false;
        length = 0;
        chunked = false;
    }

    /** Records the violation; returns an index past any buffer, for the scanning loops to return. */
    private int fail(Violation broken) {
        violation = broken;
        violationRequest = request;
        state = FAILED;
        return Integer.MAX_VALUE;
    }

    /** Records the violation; returns false, for the checks to return. */
    private boolean broke(Violation broken) {
        fail(broken);
        return false;
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long DELS = 0x7f7f7f7f7f7f7f7fL;

    /**
     * The index of the first byte in {@code [i, to)} outside {@code type}, or {@code to}. Both types
     * take every byte from {@code lowest} up but DEL; eight bytes at a time are checked for any
     * below {@code lowest} or equal to DEL (which are then looked at one by one), because header
     * values and targets are most of a head's bytes.
     */
    private static int skip(ByteBuffer b, int i, int to, byte type, int lowest) {
        long below = ONES * lowest;
        while (true) {
            while (i + 8 <= to) {
                long word = b.getLong(i);
                long del = word ^ DELS;
                if (((((word - below) & ~word) | ((del - ONES) & ~del)) & HIGHS) != 0) {
                    break;
                }
                i += 8;
            }
            int stop = Math.min(to, i + 8);
            while (i < stop && is(b.get(i), type)) {
                i++;
            }
            if (i < stop || i == to) {
                return i;
            }
        }
    }

    private static boolean is(byte c, byte type) {
        return (CLASS[c & 0xff] & type) != 0;
    }

    private static long ascii(String s) {
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            value = value << 8 | s.charAt(i);
        }
        return value;
    }
}
