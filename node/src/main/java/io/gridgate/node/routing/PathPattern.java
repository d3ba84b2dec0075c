package io.gridgate.node.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled path predicate: any path, an exact path, a segment-aligned prefix, or a template whose
 * {@code {variables}} each capture one whole segment.
 */
abstract sealed class PathPattern {

    static final String[] NO_CAPTURES = new String[0];

    /** The captured variable values in declaration order, or {@code null} when the path does not match. */
    abstract String[] match(String path);

    /** Variable names in capture order. */
    List<String> variables() {
        return List.of();
    }

    /** Orders patterns from most to least specific; higher is more specific. */
    abstract long specificity();

    static PathPattern any() {
        return Any.INSTANCE;
    }

    static PathPattern prefix(String prefix) {
        return "/".equals(prefix) ? any() : new Prefix(prefix);
    }

    static PathPattern exactOrTemplate(String path) {
        return path.indexOf('{') < 0 ? new Exact(path) : Template.parse(path);
    }

    /** True when {@code path} is {@code prefix} or continues it with a {@code /}. */
    static boolean startsWithSegments(String path, String prefix) {
        return path.startsWith(prefix)
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/' || prefix.endsWith("/"));
    }

    private static final class Any extends PathPattern {
        static final Any INSTANCE = new Any();

        @Override
        String[] match(String path) {
            return NO_CAPTURES;
        }

        @Override
        long specificity() {
            return 0;
        }
    }

    private static final class Exact extends PathPattern {
        private final String path;

        Exact(String path) {
            this.path = path;
        }

        @Override
        String[] match(String candidate) {
            return path.equals(candidate) ? NO_CAPTURES : null;
        }

        @Override
        long specificity() {
            return (3L << 40) + path.length();
        }
    }

    private static final class Prefix extends PathPattern {
        private final String prefix;

        Prefix(String prefix) {
            this.prefix = prefix;
        }

        @Override
        String[] match(String path) {
            return startsWithSegments(path, prefix) ? NO_CAPTURES : null;
        }

        @Override
        long specificity() {
            return (1L << 40) + prefix.length();
        }
    }

    private static final class Template extends PathPattern {
        /** One entry per segment: the literal text, or {@code null} for a variable. */
        private final String[] literals;
        private final List<String> names;

        private Template(String[] literals, List<String> names) {
            this.literals = literals;
            this.names = names;
        }

        static Template parse(String template) {
            String[] segments = template.substring(1).split("/", -1);
            String[] literals = new String[segments.length];
            List<String> names = new ArrayList<>();
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    names.add(segment.substring(1, segment.length() - 1));
                } else {
                    literals[i] = segment;
                }
            }
            return new Template(literals, List.copyOf(names));
        }

        @Override
        String[] match(String path) {
            String[] captures = names.isEmpty() ? NO_CAPTURES : new String[names.size()];
            int start = 1;
            int variable = 0;
            for (int i = 0; i < literals.length; i++) {
                int end = path.indexOf('/', start);
                if (end < 0) {
                    end = path.length();
                }
                boolean last = i == literals.length - 1;
                if (last != (end == path.length())) {
                    return null; // the path has fewer or more segments than the template
                }
                String literal = literals[i];
                if (literal == null) {
                    if (end == start) {
                        return null;
                    }
                    captures[variable++] = path.substring(start, end);
                } else if (end - start != literal.length() || !path.regionMatches(start, literal, 0, literal.length())) {
                    return null;
                }
                start = end + 1;
            }
            return captures;
        }

        @Override
        List<String> variables() {
            return names;
        }

        @Override
        long specificity() {
            long literalCount = literals.length - names.size();
            return (2L << 40) + (literalCount << 20) + literals.length;
        }
    }
}
