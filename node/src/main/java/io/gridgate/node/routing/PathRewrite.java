package io.gridgate.node.routing;

import io.gridgate.node.config.RewriteConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the matched path into the upstream path: strip a prefix or substitute a template, then
 * prepend the upstream URL's base path.
 */
final class PathRewrite {

    private final String stripPrefix;
    /** Template pieces: literal text, and at each odd index the capture index to insert. */
    private final Object[] template;

    private PathRewrite(String stripPrefix, Object[] template) {
        this.stripPrefix = stripPrefix;
        this.template = template;
    }

    static PathRewrite of(RewriteConfig config, List<String> matchVariables) {
        Object[] template = config.path().map(t -> compile(t, matchVariables)).orElse(null);
        return new PathRewrite(config.stripPrefix().orElse(null), template);
    }

    private static Object[] compile(String template, List<String> variables) {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (true) {
            int open = template.indexOf('{', at);
            if (open < 0) {
                parts.add(template.substring(at));
                return parts.toArray();
            }
            int close = template.indexOf('}', open);
            parts.add(template.substring(at, open));
            // Config validation guarantees every rewrite variable is a match variable.
            parts.add(variables.indexOf(template.substring(open + 1, close)));
            at = close + 1;
        }
    }

    String apply(String path, String[] captures, String basePath) {
        String rewritten = path;
        if (template != null) {
            StringBuilder out = new StringBuilder(path.length() + 16);
            for (int i = 0; i < template.length; i++) {
                out.append(i % 2 == 0 ? (String) template[i] : captures[(Integer) template[i]]);
            }
            rewritten = out.toString();
        } else if (stripPrefix != null && PathPattern.startsWithSegments(path, stripPrefix)) {
            rewritten = path.substring(stripPrefix.length());
            if (rewritten.isEmpty() || rewritten.charAt(0) != '/') {
                rewritten = "/" + rewritten;
            }
        }
        return join(basePath, rewritten);
    }

    static String join(String basePath, String path) {
        if (basePath.isEmpty() || "/".equals(basePath)) {
            return path;
        }
        if ("/".equals(path)) {
            return basePath;
        }
        return basePath.endsWith("/") ? basePath + path.substring(1) : basePath + path;
    }
}
