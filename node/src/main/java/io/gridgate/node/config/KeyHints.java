package io.gridgate.node.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The "did you mean" of unknown-key errors. */
final class KeyHints {

    private KeyHints() {
    }

    /** The one known key within two edits, if exactly one is nearest; typos rarely get further. */
    static Optional<String> closest(String key, List<String> known) {
        int best = 3;
        String match = null;
        boolean tie = false;
        for (String candidate : known) {
            int distance = editDistance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance >= candidate.length()) {
                continue;
            }
            if (distance < best) {
                best = distance;
                match = candidate;
                tie = false;
            } else if (distance == best) {
                tie = true;
            }
        }
        return tie ? Optional.empty() : Optional.ofNullable(match);
    }

    private static int editDistance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2) {
            return 3;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
