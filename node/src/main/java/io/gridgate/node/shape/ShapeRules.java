package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a response shape does, as written in configuration; {@link JsonShape#compile} checks it and
 * {@link JsonShape} documents what each rule means. Paths are JSON Pointers ({@code /items/0/sku})
 * or dotted paths ({@code items[*].sku}).
 *
 * <p>The maps keep the order they are given in (a {@code LinkedHashMap} from a reader keeps the
 * document's order), because renames run one after another and a later one may move what an
 * earlier one put in place.
 *
 * @param include  the paths kept, with the containers on the way to them; empty keeps everything
 * @param exclude  the paths removed
 * @param rename   source path to target path
 * @param flatten  the object members whose members move up into the object holding them
 * @param defaults path to the value it gets when missing or null; values are copied here and again
 *                 into every document, so changing the given node later changes nothing
 */
public record ShapeRules(List<String> include, List<String> exclude, Map<String, String> rename,
                         List<String> flatten, Map<String, JsonNode> defaults) {

    /** Rules that change nothing: applying them gives a copy of the document. */
    public static final ShapeRules EMPTY = new ShapeRules(List.of(), List.of(), Map.of(), List.of(), Map.of());

    public ShapeRules {
        include = List.copyOf(Objects.requireNonNull(include, "include"));
        exclude = List.copyOf(Objects.requireNonNull(exclude, "exclude"));
        rename = ordered(Objects.requireNonNull(rename, "rename"), "rename");
        flatten = List.copyOf(Objects.requireNonNull(flatten, "flatten"));
        Map<String, JsonNode> copies = new LinkedHashMap<>();
        Objects.requireNonNull(defaults, "defaults").forEach((path, value) -> copies.put(
                Objects.requireNonNull(path, "defaults: a null path"),
                Trees.copy(Objects.requireNonNull(value, () -> "defaults: no value for \"" + path + "\""), new Visits())));
        defaults = Collections.unmodifiableMap(copies);
    }

    private static <V> Map<String, V> ordered(Map<String, V> map, String field) {
        Map<String, V> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(Objects.requireNonNull(key, field + ": a null path"),
                Objects.requireNonNull(value, () -> field + ": no value for \"" + key + "\"")));
        return Collections.unmodifiableMap(copy);
    }

    /** How many entries the rules have in all, the number {@link JsonShape#MAX_RULES} bounds. */
    public int size() {
        return include.size() + exclude.size() + rename.size() + flatten.size() + defaults.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ShapeRules} entry by entry, in the order given. */
    public static final class Builder {

        private final List<String> include = new ArrayList<>();
        private final List<String> exclude = new ArrayList<>();
        private final Map<String, String> rename = new LinkedHashMap<>();
        private final List<String> flatten = new ArrayList<>();
        private final Map<String, JsonNode> defaults = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder include(String... paths) {
            include.addAll(List.of(paths));
            return this;
        }

        public Builder exclude(String... paths) {
            exclude.addAll(List.of(paths));
            return this;
        }

        public Builder rename(String from, String to) {
            rename.put(from, to);
            return this;
        }

        public Builder flatten(String... paths) {
            flatten.addAll(List.of(paths));
            return this;
        }

        public Builder defaultValue(String path, JsonNode value) {
            defaults.put(path, value);
            return this;
        }

        public ShapeRules build() {
            return new ShapeRules(include, exclude, rename, flatten, defaults);
        }
    }
}
