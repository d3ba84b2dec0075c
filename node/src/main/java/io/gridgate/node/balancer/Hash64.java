package io.gridgate.node.balancer;

/**
 * A 64-bit hash of a string's UTF-8 bytes, computed without encoding it into an array: 8-byte
 * little-endian blocks mixed as in MurmurHash64A, the byte length folded in, then murmur3's
 * {@code fmix64}. Its values are part of the cluster's behaviour (nodes of two versions must place
 * keys alike), so they must never change.
 */
final class Hash64 {

    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final long M = 0xC6A4A7935BD1E995L;

    private Hash64() {
    }

    static long hash(CharSequence text) {
        long h = SEED;
        long block = 0;
        int filled = 0;
        long length = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int bytes; // up to four UTF-8 bytes, first in the low byte
            int count;
            if (c < 0x80) {
                bytes = c;
                count = 1;
            } else if (c < 0x800) {
                bytes = (0xC0 | c >>> 6) | (0x80 | c & 0x3F) << 8;
                count = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                bytes = (0xF0 | cp >>> 18) | (0x80 | cp >>> 12 & 0x3F) << 8
                        | (0x80 | cp >>> 6 & 0x3F) << 16 | (0x80 | cp & 0x3F) << 24;
                count = 4;
            } else if (Character.isSurrogate(c)) {
                bytes = '?'; // a lone surrogate, replaced as String.getBytes(UTF_8) does
                count = 1;
            } else {
                bytes = (0xE0 | c >>> 12) | (0x80 | c >>> 6 & 0x3F) << 8 | (0x80 | c & 0x3F) << 16;
                count = 3;
            }
            for (int b = 0; b < count; b++, bytes >>>= 8) {
                block |= (long) (bytes & 0xFF) << (filled << 3);
                if (++filled == Long.BYTES) {
                    h = mixBlock(h, block);
                    block = 0;
                    filled = 0;
                }
            }
            length += count;
        }
        if (filled > 0) {
            h = mixBlock(h, block); // zero-padded; the length below tells it from real zero bytes
        }
        return fmix64(h ^ length);
    }

    private static long mixBlock(long h, long k) {
        k *= M;
        k ^= k >>> 47;
        k *= M;
        return (h ^ k) * M;
    }

    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB9FE1A85EC53L;
        k ^= k >>> 33;
        return k;
    }
}
