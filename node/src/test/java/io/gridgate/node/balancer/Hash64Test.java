package io.gridgate.node.balancer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Hash64Test {

    @Test
    void hashesTheUtf8BytesOfTheStringWithoutEncodingIt() {
        List<String> texts = List.of("", "a", "abcdefg", "abcdefgh", "abcdefghi", "10.0.0.1", "ü", "€uro",
                "\uD83D\uDE00 grin", "lone \uD800 high", "lone \uDC00 low", "trailing \uD800", "instance-17#159");

        texts.forEach(text -> assertThat(Hash64.hash(text)).as(text).isEqualTo(referenceHash(text.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void hashesRandomTextOfEveryPlaneLikeItsUtf8Bytes() {
        Random random = new Random(7);
        for (int round = 0; round < 1_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                int bound = switch (random.nextInt(4)) {
                    case 0 -> 0x80;
                    case 1 -> 0x800;
                    case 2 -> 0x10000;
                    default -> 0x110000;
                };
                text.appendCodePoint(random.nextInt(bound));
            }
            String s = text.toString();

            assertThat(Hash64.hash(s)).as(s).isEqualTo(referenceHash(s.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void keepsItsValuesSinceNodesOfDifferentVersionsMustPlaceKeysAlike() {
        assertThat(Hash64.hash("")).isEqualTo(PINNED_EMPTY);
        assertThat(Hash64.hash("instance-1#0")).isEqualTo(PINNED_POINT);
        assertThat(Hash64.hash("café-übergröße")).isEqualTo(PINNED_UNICODE);
    }

    // Computed outside Java, by a Python transcription of the construction.
    private static final long PINNED_EMPTY = -7160610219483255062L;
    private static final long PINNED_POINT = -8435965212342388596L;
    private static final long PINNED_UNICODE = 5257955357809647896L;

    /** The same construction over an encoded array: 8-byte little-endian blocks, a zero-padded tail, the length, fmix64. */
    private static long referenceHash(byte[] bytes) {
        long m = 0xC6A4A7935BD1E995L;
        long h = 0x9E3779B97F4A7C15L;
        for (int start = 0; start < bytes.length; start += 8) {
            long k = 0;
            for (int i = start; i < Math.min(start + 8, bytes.length); i++) {
                k |= (bytes[i] & 0xFFL) << (8 * (i - start));
            }
            k *= m;
            k ^= k >>> 47;
            k *= m;
            h = (h ^ k) * m;
        }
        return Hash64.fmix64(h ^ bytes.length);
    }
}
