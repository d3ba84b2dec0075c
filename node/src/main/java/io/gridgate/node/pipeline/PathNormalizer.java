package io.gridgate.node.pipeline;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * Decodes and normalizes a request path once, before routing and every ACL, so that no spelling
 * of a path reaches a route, or escapes an ACL, that its plain form would not; whatever cannot be
 * normalized without guessing how the upstream reads it is refused. Pure, for tests.
 *
 * <p>The result is a canonical, still percent-encoded path, which routes match and the upstream
 * receives:
 * <ul>
 * <li>Each {@code %XX} is decoded exactly once. An escape of a character that may stand in a path
 *     segment as is (letters, digits, {@code -._~!$&'()*+,=:@}) becomes that character
 *     ({@code /%61dmin} is {@code /admin}); any other stays an escape, in upper-case hex
 *     ({@code %3b} becomes {@code %3B}, {@code %20} stays).
 * <li>Dot segments, {@code .} and {@code ..}, are resolved after decoding, so {@code %2e%2e} is
 *     {@code ..} (RFC 3986 5.2.4); a {@code ..} above the root is refused. A trailing {@code .} or
 *     {@code ..} leaves a trailing slash ({@code /a/b/..} is {@code /a/}).
 * <li>Empty segments are dropped ({@code //admin} is {@code /admin}); a trailing slash is kept,
 *     since {@code /admin/} and {@code /admin} may differ for the upstream and for exact routes.
 * <li>Case is kept: paths are case-sensitive (RFC 3986 6.2.2.1), so {@code /ADMIN} is not
 *     {@code /admin}.
 * <li>Printable characters that are not allowed raw in a path ({@code "<>[]^`{|}}) are encoded.
 * </ul>
 * Refused, because servers disagree on what they mean:
 * <ul>
 * <li>{@code %2F} and {@code %5C} (an encoded slash or backslash: a separator to some servers,
 *     data to others), and a raw backslash.
 * <li>{@code ;} (path parameters: servlet containers such as Tomcat strip {@code ;...} from each
 *     segment before resolving dot segments, so {@code /public/..;/admin} is {@code /admin} to
 *     them). An encoded {@code %3B} is data to everyone and is kept as an escape.
 * <li>Double encoding: a {@code %} decoded from {@code %25} followed by two hex digits
 *     ({@code %252e}, {@code %25%32%65}), which an upstream that decodes twice would read as
 *     {@code .}. A {@code %25} followed by anything else is kept.
 * <li>Control characters, raw or encoded (NUL, CR, LF, DEL, C1), raw space, {@code #}, and raw
 *     non-ASCII.
 * <li>Bad escapes ({@code %zz}, {@code %4}) and escapes that are not strict UTF-8: overlong forms
 *     ({@code %C0%AE} for {@code .}), surrogates, stray continuation bytes, truncated sequences.
 * <li>Non-ASCII segments whose compatibility form (NFKC) holds a slash or backslash or is a dot
 *     segment (two fullwidth full stops U+FF0E, the two-dot leader U+2025, a fullwidth solidus
 *     U+FF0F), for upstreams that apply NFKC.
 * <li>A path that does not start with {@code /} ({@code *}, or an empty path).
 * </ul>
 */
public final class PathNormalizer {

    /** The outcome: the normalized path, or why the raw one is refused. */
    public record Result(String path, String problem) {

        static Result normalized(String path) {
            return new Result(path, null);
        }

        static Result rejected(String problem) {
            return new Result(null, problem);
        }

        public boolean ok() {
            return path != null;
        }
    }

    /** May stand raw in a segment, and is decoded when it arrives as an escape. */
    private static final byte PLAIN = 1;
    /** Printable but not allowed raw in a path: encoded in the result. */
    private static final byte ENCODE = 2;
    /** Refused raw: control characters, space, backslash, {@code ;}, {@code #}, {@code ?}. */
    private static final byte REFUSE = 3;

    private static final String INVALID_UTF8 =
            "percent escapes that are not strict UTF-8 (overlong, surrogate, truncated or stray bytes)";

    private static final byte[] CLASS = new byte[128];
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static {
        for (int c = 0; c < 128; c++) {
            CLASS[c] = REFUSE;
        }
        for (char c : "\"<>[]^`{|}".toCharArray()) {
            CLASS[c] = ENCODE;
        }
        for (char c : "-._~!$&'()*+,=:@".toCharArray()) {
            CLASS[c] = PLAIN;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            CLASS[c] = PLAIN;
            CLASS[c - 'a' + 'A'] = PLAIN;
        }
        for (char c = '0'; c <= '9'; c++) {
            CLASS[c] = PLAIN;
        }
    }

    private PathNormalizer() {
    }

    /** Normalizes a raw request path (percent-encoded as received, without the query). */
    public static Result normalize(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return Result.rejected("the path must start with /");
        }
        if (isCanonical(rawPath)) {
            return Result.normalized(rawPath);
        }
        return new Walk(rawPath).run();
    }

    /** True for the common path that needs no work: plain characters, no escapes, no empty or dot segments. */
    private static boolean isCanonical(String path) {
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                if (previous == '/') {
                    return false;
                }
            } else if (c >= 128 || CLASS[c] != PLAIN || c == '.' && previous == '/') {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** One pass over a path that needs decoding or resolving. */
    private static final class Walk {
        private final String raw;
        private final StringBuilder out;
        /** The canonical text of the segment being read. */
        private final StringBuilder segment = new StringBuilder();
        /** Decoded text of the segment, kept only to check non-ASCII segments against NFKC. */
        private final StringBuilder decoded = new StringBuilder();
        private int[] starts = new int[8];
        private int depth;
        private int at = 1;
        private boolean nonAscii;
        /** Hex digits decoded since a {@code %} that came from {@code %25}; -1 when none is pending. */
        private int afterPercent = -1;
        private String problem;

        Walk(String raw) {
            this.raw = raw;
            this.out = new StringBuilder(raw.length() + 8);
        }

        Result run() {
            boolean trailingSlash = false;
            while (true) {
                if (!readSegment()) {
                    return Result.rejected(problem);
                }
                boolean last = at >= raw.length();
                if (segment.length() == 0 || isDot(segment, 1)) {
                    trailingSlash = last;
                } else if (isDot(segment, 2)) {
                    if (depth == 0) {
                        return Result.rejected("a .. segment climbs above the root");
                    }
                    out.setLength(starts[--depth]);
                    trailingSlash = last;
                } else {
                    push();
                    trailingSlash = false;
                }
                if (last) {
                    break;
                }
                at++;
            }
            if (out.length() == 0) {
                return Result.normalized("/");
            }
            if (trailingSlash) {
                out.append('/');
            }
            return Result.normalized(out.toString());
        }

        private void push() {
            if (depth == starts.length) {
                starts = Arrays.copyOf(starts, depth * 2);
            }
            starts[depth++] = out.length();
            out.append('/').append(segment);
        }

        private static boolean isDot(CharSequence text, int dots) {
            if (text.length() != dots) {
                return false;
            }
            for (int i = 0; i < dots; i++) {
                if (text.charAt(i) != '.') {
                    return false;
                }
            }
            return true;
        }

        /** Reads from {@code at} to the next {@code /} or the end; false, with {@code problem} set, to refuse. */
        private boolean readSegment() {
            segment.setLength(0);
            decoded.setLength(0);
            nonAscii = false;
            afterPercent = -1;
            while (at < raw.length()) {
                char c = raw.charAt(at);
                if (c == '/') {
                    break;
                }
                if (c == '%') {
                    if (!readEscape()) {
                        return false;
                    }
                    continue;
                }
                if (!readRaw(c)) {
                    return false;
                }
                at++;
            }
            return !nonAscii || checkCompatibilityForm();
        }

        private boolean readRaw(char c) {
            if (c >= 128) {
                return refuse("a raw non-ASCII character (it must be percent-encoded as UTF-8)");
            }
            switch (CLASS[c]) {
                case PLAIN -> segment.append(c);
                case ENCODE -> appendEscape(c);
                default -> {
                    return refuse(describeRaw(c));
                }
            }
            decoded.append(c);
            return notDoubleEncoded(c);
        }

        private static String describeRaw(char c) {
            return switch (c) {
                case '\\' -> "a backslash";
                case ';' -> "a ; (path parameters are not accepted)";
                case '#' -> "a # (a fragment is never sent)";
                case ' ' -> "a raw space";
                case '?' -> "a ? inside the path";
                default -> String.format("the control character 0x%02X", (int) c);
            };
        }

        private boolean readEscape() {
            int b = escapedByte(at);
            if (b < 0) {
                return refuse("a malformed percent escape");
            }
            at += 3;
            if (b >= 0x80) {
                return readUtf8(b);
            }
            char c = (char) b;
            if (c == '/') {
                return refuse("an encoded slash (%2F)");
            }
            if (c == '\\') {
                return refuse("an encoded backslash (%5C)");
            }
            if (c < 0x20 || c == 0x7f) {
                return refuse(String.format("the encoded control character %%%02X", b));
            }
            if (c == '%') {
                appendEscape(c);
                decoded.append(c);
                afterPercent = 0;
                return true;
            }
            if (CLASS[c] == PLAIN) {
                segment.append(c);
            } else {
                appendEscape(c);
            }
            decoded.append(c);
            return notDoubleEncoded(c);
        }

        /** Tracks the two characters after a decoded {@code %}: two hex digits would make a second escape. */
        private boolean notDoubleEncoded(char c) {
            if (afterPercent < 0) {
                return true;
            }
            if (Character.digit(c, 16) < 0) {
                afterPercent = -1;
                return true;
            }
            if (++afterPercent == 2) {
                return refuse("double percent-encoding (%25 followed by an escape)");
            }
            return true;
        }

        /** A strict UTF-8 sequence of escapes, starting with the lead byte already read. */
        private boolean readUtf8(int lead) {
            int more;
            int min = 0x80;
            int max = 0xBF;
            int codePoint;
            if (lead >= 0xC2 && lead <= 0xDF) {
                more = 1;
                codePoint = lead & 0x1F;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                more = 2;
                codePoint = lead & 0x0F;
                if (lead == 0xE0) {
                    min = 0xA0; // shorter forms are overlong
                } else if (lead == 0xED) {
                    max = 0x9F; // U+D800..U+DFFF are surrogates
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                more = 3;
                codePoint = lead & 0x07;
                if (lead == 0xF0) {
                    min = 0x90;
                } else if (lead == 0xF4) {
                    max = 0x8F; // above U+10FFFF
                }
            } else {
                return refuse(INVALID_UTF8);
            }
            appendEscape(lead);
            for (int i = 0; i < more; i++) {
                int b = at < raw.length() && raw.charAt(at) == '%' ? escapedByte(at) : -1;
                if (b < min || b > max) {
                    return refuse(INVALID_UTF8);
                }
                codePoint = codePoint << 6 | b & 0x3F;
                appendEscape(b);
                at += 3;
                min = 0x80;
                max = 0xBF;
            }
            if (codePoint <= 0x9F) {
                return refuse(String.format("the encoded control character U+%04X", codePoint));
            }
            decoded.appendCodePoint(codePoint);
            nonAscii = true;
            afterPercent = -1;
            return true;
        }

        /** Refuses a segment that NFKC would turn into a separator or a dot segment. */
        private boolean checkCompatibilityForm() {
            String folded = Normalizer.normalize(decoded, Normalizer.Form.NFKC);
            if (folded.indexOf('/') >= 0 || folded.indexOf('\\') >= 0 || isDot(folded, 1) || isDot(folded, 2)) {
                return refuse("characters whose compatibility form (NFKC) is a slash, backslash or dot segment");
            }
            return true;
        }

        /** The byte of the escape at {@code index}, or -1 when it is not {@code %} and two hex digits. */
        private int escapedByte(int index) {
            if (index + 2 >= raw.length()) {
                return -1;
            }
            int high = hexDigit(raw.charAt(index + 1));
            int low = hexDigit(raw.charAt(index + 2));
            return high < 0 || low < 0 ? -1 : high << 4 | low;
        }

        /** An ASCII hex digit's value; -1 for anything else (Character.digit also takes non-ASCII digits). */
        private static int hexDigit(char c) {
            return c < 128 ? Character.digit(c, 16) : -1;
        }

        private void appendEscape(int b) {
            segment.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
        }

        private boolean refuse(String why) {
            problem = why;
            return false;
        }
    }
}
