package io.gridgate.node.config;

import io.gridgate.node.config.ValueType.Checked;
import io.gridgate.node.pipeline.PathNormalizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Path syntax shared by {@code match.path}, {@code match.pathPrefix} and {@code rewrite}: a path
 * starts with {@code /}, has no empty inner segment, and a template's {@code {variables}} are whole
 * segments, so that matching can compare segment by segment without regexes.
 */
final class PathTemplates {

    static final String START = "a path starting with \"/\"";
    private static final String CHARACTERS =
            "a path of URL path characters (letters, digits, -._~!$&'()*+,;=:@%) and \"/\"";
    private static final String WHOLE_SEGMENTS =
            "a path whose {variables} are whole segments, such as /users/{id}";
    private static final String NAMES = "variable names matching [A-Za-z_][A-Za-z0-9_]*";
    private static final String NO_EMPTY_SEGMENT = "a path without empty segments (\"//\")";

    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@%]*");
    private static final Pattern VARIABLE = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_]*}");

    private PathTemplates() {
    }

    /** An exact path or a template; the value is unchanged. */
    static ValueType<String> template() {
        return ValueType.textChecked(text -> {
            Checked<List<String>> variables = variables(text);
            return variables.ok() ? Checked.ok(text) : Checked.rejected(variables.expected());
        }, START);
    }

    /** A literal prefix, without its trailing {@code /} (except for {@code /} itself). */
    static ValueType<String> prefix() {
        return ValueType.textChecked(text -> {
            Checked<List<String>> variables = variables(text);
            if (!variables.ok()) {
                return Checked.rejected(variables.expected());
            }
            if (!variables.value().isEmpty()) {
                return Checked.rejected("a literal path, without {variables}");
            }
            String prefix = text;
            while (prefix.length() > 1 && prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            return Checked.ok(prefix);
        }, START);
    }

    /**
     * Requests are matched in normalized form (escapes of plain characters decoded, others in upper
     * case, no dot segments, no {@code ;}), so a route written otherwise could never match.
     */
    private static boolean isCanonical(String segment) {
        PathNormalizer.Result result = PathNormalizer.normalize("/" + segment);
        return result.ok() && result.path().equals("/" + segment);
    }

    private static String canonicalForm(String segment) {
        if (segment.equals(".") || segment.equals("..")) {
            return "segments in the normalized form requests are matched in: no \".\" or \"..\" segments";
        }
        PathNormalizer.Result result = PathNormalizer.normalize("/" + segment);
        return result.ok() && !result.path().equals("/")
                ? "segments in the normalized form requests are matched in, such as \"" + result.path().substring(1) + "\""
                : "segments in the normalized form requests are matched in: " + (result.ok()
                        ? "no \".\" or \"..\" segments" : result.problem());
    }

    /** The variable names of a valid template in order, or what is wrong with it. */
    static Checked<List<String>> variables(String path) {
        if (!path.startsWith("/")) {
            return Checked.rejected(START);
        }
        String[] segments = path.substring(1).split("/", -1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty() && i < segments.length - 1) {
                return Checked.rejected(NO_EMPTY_SEGMENT);
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (!VARIABLE.matcher(segment).matches()) {
                    return Checked.rejected(NAMES);
                }
                String name = segment.substring(1, segment.length() - 1);
                if (names.contains(name)) {
                    return Checked.rejected("each variable once; {" + name + "} appears twice");
                }
                names.add(name);
            } else if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
                return Checked.rejected(WHOLE_SEGMENTS);
            } else if (!LITERAL.matcher(segment).matches()) {
                return Checked.rejected(CHARACTERS);
            } else if (!isCanonical(segment)) {
                return Checked.rejected(canonicalForm(segment));
            }
        }
        return Checked.ok(List.copyOf(names));
    }
}
