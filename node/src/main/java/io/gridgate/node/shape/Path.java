package io.gridgate.node.shape;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled path: the steps from a document's root to the nodes it names. Both syntaxes compile
 * to this one form, so the rules never depend on how a path was written:
 *
 * <ul>
 *   <li>a JSON Pointer (RFC 6901): {@code /customer/name}, with {@code ~0} for {@code ~} and
 *       {@code ~1} for {@code /} inside names;</li>
 *   <li>a dotted path: {@code customer.name}, {@code items[*].sku}, {@code items.*.sku},
 *       {@code items[0].sku}; names cannot hold {@code . [ ] /}, which need a pointer.</li>
 * </ul>
 *
 * <p>In both, a step that is exactly {@code *} matches every member of an object and every
 * element of an array (so a member literally named {@code *} cannot be addressed), and {@code **}
 * is rejected rather than read as a name, since it looks like a recursive wildcard and is not one.
 * A path names at least one step: the whole document is not a path.
 */
record Path(List<Step> steps) {

    /** The deepest path accepted; JsonShape publishes it. */
    static final int MAX_STEPS = 32;

    static final String A_PATH = "a JSON Pointer such as /customer/name or a dotted path such as customer.name";
    static final String NO_RECURSIVE_WILDCARD =
            "* for every member or element at one step; ** (any depth) is not supported";
    static final String POINTER_ESCAPES = "~0 for ~ and ~1 for / in a JSON Pointer (RFC 6901)";
    static final String DOTTED_NAMES =
            "a dotted path of non-empty names such as items[*].sku; a JSON Pointer for names with . [ ] or /";
    static final String BRACKETS = "[*] or an index such as [0] between brackets";
    static final String DEPTH = "at most " + MAX_STEPS + " steps";

    Path {
        steps = List.copyOf(steps);
    }

    /**
     * Compiles {@code text}, a pointer when it starts with {@code /} and a dotted path otherwise.
     *
     * @param rule the rule named in the error, such as {@code include[2]}
     * @throws ShapeException naming the rule, the text and the syntax expected
     */
    static Path parse(String text, String rule) {
        if (text.isEmpty()) {
            throw new ShapeException(rule, ShapeException.quoted(text), A_PATH);
        }
        List<Step> steps = text.startsWith("/") ? pointer(text, rule) : dotted(text, rule);
        if (steps.size() > MAX_STEPS) {
            throw new ShapeException(rule, ShapeException.quoted(text), DEPTH);
        }
        return new Path(steps);
    }

    private static List<Step> pointer(String text, String rule) {
        List<Step> steps = new ArrayList<>();
        for (String token : text.substring(1).split("/", -1)) {
            steps.add(step(unescape(token, text, rule), text, rule));
        }
        return steps;
    }

    private static String unescape(String token, String text, String rule) {
        if (token.indexOf('~') < 0) {
            return token;
        }
        StringBuilder name = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c != '~') {
                name.append(c);
            } else if (i + 1 < token.length() && (token.charAt(i + 1) == '0' || token.charAt(i + 1) == '1')) {
                name.append(token.charAt(++i) == '0' ? '~' : '/');
            } else {
                throw new ShapeException(rule, ShapeException.quoted(text), POINTER_ESCAPES);
            }
        }
        return name.toString();
    }

    private static List<Step> dotted(String text, String rule) {
        List<Step> steps = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            if (text.charAt(at) == '[') {
                int close = text.indexOf(']', at);
                if (close < 0) {
                    throw new ShapeException(rule, ShapeException.quoted(text), BRACKETS);
                }
                steps.add(bracket(text.substring(at + 1, close), text, rule));
                at = close + 1;
            } else {
                int end = at;
                while (end < text.length() && ".[]/".indexOf(text.charAt(end)) < 0) {
                    end++;
                }
                if (end == at || (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[')) {
                    throw new ShapeException(rule, ShapeException.quoted(text), DOTTED_NAMES);
                }
                steps.add(step(text.substring(at, end), text, rule));
                at = end;
            }
            at = afterStep(text, at, rule);
        }
        return steps;
    }

    /** Skips the {@code .} between steps; a step ends the path, or is followed by {@code .name} or {@code [}. */
    private static int afterStep(String text, int at, String rule) {
        if (at == text.length() || text.charAt(at) == '[') {
            return at;
        }
        if (text.charAt(at) == '.' && at + 1 < text.length() && text.charAt(at + 1) != '.'
                && text.charAt(at + 1) != '[') {
            return at + 1;
        }
        throw new ShapeException(rule, ShapeException.quoted(text), DOTTED_NAMES);
    }

    private static Step bracket(String inside, String text, String rule) {
        if (inside.equals("*")) {
            return Step.ANY;
        }
        Step.Member member = Step.Member.of(inside);
        if (member.index() < 0) {
            throw new ShapeException(rule, ShapeException.quoted(text), BRACKETS);
        }
        return member;
    }

    private static Step step(String name, String text, String rule) {
        if (name.equals("*")) {
            return Step.ANY;
        }
        if (name.length() > 1 && name.chars().allMatch(c -> c == '*')) {
            throw new ShapeException(rule, ShapeException.quoted(text), NO_RECURSIVE_WILDCARD);
        }
        return Step.Member.of(name);
    }

    int size() {
        return steps.size();
    }

    Step last() {
        return steps.get(steps.size() - 1);
    }

    /** The position of the last {@code *}, or -1. */
    int lastWildcard() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i) instanceof Step.Any) {
                return i;
            }
        }
        return -1;
    }

    long wildcards() {
        return steps.stream().filter(Step.Any.class::isInstance).count();
    }

    /** The steps {@code from} (inclusive) to {@code to} (exclusive). */
    List<Step> steps(int from, int to) {
        return steps.subList(from, to);
    }

    /** The path as a JSON Pointer, wildcards as {@code *}. */
    @Override
    public String toString() {
        StringBuilder pointer = new StringBuilder();
        for (Step step : steps) {
            pointer.append('/').append(step);
        }
        return pointer.toString();
    }
}
