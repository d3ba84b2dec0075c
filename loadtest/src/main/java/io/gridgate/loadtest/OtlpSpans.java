package io.gridgate.loadtest;

/**
 * Counts the spans of an OTLP {@code ExportTraceServiceRequest} in protobuf form without decoding them: the request
 * is {@code resource_spans} (field 1), each holding {@code scope_spans} (field 2), each holding {@code spans} (field
 * 2); everything else is skipped by its length.
 */
final class OtlpSpans {

    private static final int RESOURCE_SPANS = 1;
    private static final int SCOPE_SPANS = 2;
    private static final int SPANS = 2;
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private OtlpSpans() {
    }

    /** The spans in {@code body}; fails on bytes that are not a protobuf message. */
    static long count(byte[] body) {
        return count(body, 0, body.length, 0);
    }

    /** Depth 0 is the request, 1 a {@code ResourceSpans}, 2 a {@code ScopeSpans}, whose field 2 are spans. */
    private static long count(byte[] b, int from, int to, int depth) {
        long spans = 0;
        int[] pos = {from};
        while (pos[0] < to) {
            long key = varint(b, pos, to);
            int field = (int) (key >>> 3);
            int wireType = (int) (key & 7);
            switch (wireType) {
                case VARINT -> varint(b, pos, to);
                case FIXED64 -> pos[0] += 8;
                case FIXED32 -> pos[0] += 4;
                case LENGTH_DELIMITED -> {
                    long length = varint(b, pos, to);
                    if (length < 0 || length > to - pos[0]) {
                        throw new IllegalArgumentException("length " + length + " at byte " + pos[0]
                                + " (expected: <= " + (to - pos[0]) + " bytes left)");
                    }
                    int start = pos[0];
                    pos[0] += (int) length;
                    if (depth == 0 && field == RESOURCE_SPANS || depth == 1 && field == SCOPE_SPANS) {
                        spans += count(b, start, pos[0], depth + 1);
                    } else if (depth == 2 && field == SPANS) {
                        spans++;
                    }
                }
                default -> throw new IllegalArgumentException("wire type " + wireType + " at byte " + pos[0]
                        + " (expected: 0, 1, 2 or 5)");
            }
        }
        if (pos[0] != to) {
            throw new IllegalArgumentException("field past the end of its message at byte " + to);
        }
        return spans;
    }

    private static long varint(byte[] b, int[] pos, int to) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= to) {
                throw new IllegalArgumentException("varint cut off at byte " + pos[0]);
            }
            byte next = b[pos[0]++];
            value |= (long) (next & 0x7f) << shift;
            if (next >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes at byte " + pos[0]);
    }
}
