package io.gridgate.node.cache;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Purge tags from a response: {@code Surrogate-Key} (space separated) and {@code Cache-Tag} (comma
 * separated), in order, at most {@value #MAX_TAGS} of at most {@value #MAX_TAG_LENGTH} characters.
 * Longer tags and tags with control characters are dropped rather than cut, so a purge never reaches
 * an entry it did not name.
 */
final class Tags {

    static final int MAX_TAGS = 32;
    static final int MAX_TAG_LENGTH = 128;

    private Tags() {
    }

    static Set<String> of(Headers response) {
        Set<String> tags = new LinkedHashSet<>();
        for (String line : response.all("Surrogate-Key")) {
            for (String tag : line.trim().split("\\s+")) {
                add(tag, tags);
            }
        }
        for (String tag : HeaderLists.elements(response.all("Cache-Tag"))) {
            add(tag, tags);
        }
        return Collections.unmodifiableSet(tags);
    }

    private static void add(String tag, Set<String> tags) {
        if (tags.size() < MAX_TAGS && !tag.isEmpty() && tag.length() <= MAX_TAG_LENGTH && printable(tag)) {
            tags.add(tag);
        }
    }

    private static boolean printable(String tag) {
        return tag.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }
}
