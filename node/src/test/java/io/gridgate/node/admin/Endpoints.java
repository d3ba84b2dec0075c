package io.gridgate.node.admin;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Admin endpoints compared by shape, whatever their path parameters are called. */
final class Endpoints {

    private static final Pattern PARAMETER = Pattern.compile("\\{[^}/]+}");

    private Endpoints() {
    }

    /** {@code GET /a/{x}} and {@code GET /a/{y}} are one endpoint. */
    static String normalized(String endpoint) {
        return PARAMETER.matcher(endpoint).replaceAll("{}");
    }

    static Set<String> normalized(List<String> endpoints) {
        Set<String> set = new TreeSet<>();
        endpoints.forEach(endpoint -> set.add(normalized(endpoint)));
        return set;
    }
}
