package io.gridgate.node.config;

import io.gridgate.node.shape.ShapeRules;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One client of a Backend-For-Frontend route: who it is (a request header or a token claim, or
 * everyone when {@code when} is empty), how its requests are reshaped before they go upstream, and
 * how a composite route's answer is reshaped for it.
 *
 * @param name what logs and traces call it
 * @param when the first client whose condition holds is the request's; empty: every request
 * @param response the shape of a composite route's JSON answer for this client
 * @param headers edits of the request's headers
 * @param query edits of the request's query parameters
 */
public record ClientConfig(String name, Optional<When> when, ShapeRules response, Edits headers, Edits query) {

    /** A request header, or a claim of the verified token, with a given value. */
    public record When(Source source, String name, String value) {

        /** Where the condition looks. */
        public enum Source { HEADER, CLAIM }
    }

    /**
     * Edits of headers or query parameters, in this order: remove, rename, add (an added value replaces
     * what the client sent under that name).
     */
    public record Edits(Map<String, String> add, List<String> remove, Map<String, String> rename) {

        public static final Edits NONE = new Edits(Map.of(), List.of(), Map.of());

        public Edits {
            add = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(add));
            remove = List.copyOf(remove);
            rename = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rename));
        }

        public boolean isEmpty() {
            return add.isEmpty() && remove.isEmpty() && rename.isEmpty();
        }
    }
}
