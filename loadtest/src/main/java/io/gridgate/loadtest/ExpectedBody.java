package io.gridgate.loadtest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The JSON body every answer of a run must have, compared as the bytes stream past, without copying them: whitespace
 * (space, tab, CR, LF) is skipped on both sides, so a server's formatting does not matter, and nothing else is
 * normalized (member order, numbers and escapes must be as expected). That is exact only for JSON without whitespace
 * inside its strings, which {@link #of} insists on.
 */
final class ExpectedBody {

    private final byte[] compact;

    private ExpectedBody(byte[] compact) {
        this.compact = compact;
    }

    /** The body {@code json}; fails if a string in it holds whitespace, which the comparison would skip. */
    static ExpectedBody of(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (inString && space) {
                throw new IllegalArgumentException("expected body: " + json + " (expected: JSON without whitespace"
                        + " inside its strings, which the comparison skips)");
            }
            if (!space) {
                out.append(c);
            }
            if (inString) {
                inString = escaped || c != '"';
                escaped = !escaped && c == '\\';
            } else {
                inString = c == '"';
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("expected body: \"" + json + "\" (expected: a JSON document)");
        }
        return new ExpectedBody(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The body without its whitespace, as compared. */
    String text() {
        return new String(compact, StandardCharsets.UTF_8);
    }

    /** Whether a whole body read elsewhere (a probe's) is this one. */
    boolean matches(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Progress progress = progress();
        progress.feed(ByteBuffer.wrap(bytes), bytes.length);
        return progress.complete();
    }

    /** A comparison to feed one response's body at a time. */
    Progress progress() {
        return new Progress();
    }

    /** Where one response's comparison stands; reset for each response. */
    final class Progress {
        private int matched;
        private boolean wrong;

        void reset() {
            matched = 0;
            wrong = false;
        }

        /** Compares the {@code n} bytes from {@code in}'s position on, leaving the position where it is. */
        void feed(ByteBuffer in, int n) {
            int at = in.position();
            for (int i = 0; i < n && !wrong; i++) {
                byte b = in.get(at + i);
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                    continue;
                }
                if (matched < compact.length && compact[matched] == b) {
                    matched++;
                } else {
                    wrong = true;
                }
            }
        }

        /** Whether everything fed so far is the whole expected body. */
        boolean complete() {
            return !wrong && matched == compact.length;
        }
    }
}
