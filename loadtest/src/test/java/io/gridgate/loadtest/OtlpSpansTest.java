package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class OtlpSpansTest {

    @Test
    void countsTheSpansOfEveryScopeOfEveryResource() {
        byte[] request = concat(
                field(1, concat(field(1, resource()), field(2, scope(3)), field(2, scope(1)))),
                field(1, concat(field(2, scope(2)), field(3, "https://schema".getBytes()))));

        assertThat(OtlpSpans.count(request)).isEqualTo(6);
    }

    @Test
    void countsNothingInAnEmptyRequest() {
        assertThat(OtlpSpans.count(new byte[0])).isZero();
    }

    @Test
    void refusesBytesThatAreNotAProtobufMessage() {
        assertThatThrownBy(() -> OtlpSpans.count(new byte[] {0x0a, 0x10, 0x01}))
                .hasMessage("length 16 at byte 2 (expected: <= 1 bytes left)");
        assertThatThrownBy(() -> OtlpSpans.count(new byte[] {0x0b}))
                .hasMessage("wire type 3 at byte 1 (expected: 0, 1, 2 or 5)");
    }

    /** A ScopeSpans: a scope (field 1), {@code spans} spans (field 2) and a schema URL (field 3). */
    static byte[] scope(int spans) {
        byte[][] parts = new byte[spans + 2][];
        parts[0] = field(1, field(1, "io.gridgate".getBytes()));
        for (int i = 0; i < spans; i++) {
            // trace id (bytes), a name (field 5), a kind (varint field 6) and a start time (fixed64 field 7)
            parts[i + 1] = field(2, concat(field(1, new byte[16]), field(5, "GET".getBytes()), new byte[] {0x30, 0x02},
                    new byte[] {0x39, 1, 2, 3, 4, 5, 6, 7, 8}));
        }
        parts[spans + 1] = field(3, "https://schema".getBytes());
        return concat(parts);
    }

    /** A Resource with one attribute; its field 2 must not be taken for spans. */
    private static byte[] resource() {
        return field(1, concat(field(1, "service.name".getBytes()), field(2, field(1, "gridgate".getBytes()))));
    }

    static byte[] field(int number, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(number << 3 | 2);
        int length = value.length;
        while (length >= 0x80) {
            out.write(length & 0x7f | 0x80);
            length >>>= 7;
        }
        out.write(length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
