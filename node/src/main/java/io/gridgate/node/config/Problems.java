package io.gridgate.node.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every error of one load, so that the user sees all of them at once and in file order. */
final class Problems {

    /** Where a value came from: a position in the file, or an environment variable. */
    record Where(String source, int line, int column, String path) {

        static Where env(String variable) {
            return new Where("env", 0, 0, variable);
        }

        ConfigError error(String message, String constraint) {
            return new ConfigError(source, line, column, path, message, constraint);
        }
    }

    private final String source;
    private final List<ConfigError> errors = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    Where at(YamlNode node, String path) {
        return new Where(source, node.line(), node.column(), path);
    }

    Where at(int line, int column, String path) {
        return new Where(source, line, column, path);
    }

    /** A problem that no single constraint describes, such as a file that cannot be read. */
    void add(Where where, String message) {
        errors.add(where.error(message, ""));
    }

    /** A problem whose message has its own wording but breaks a stated constraint, as a YAML syntax error does. */
    void add(Where where, String message, String constraint) {
        errors.add(where.error(message, constraint));
    }

    void reject(Where where, String shown, String expected) {
        errors.add(where.error(shown + " (expected: " + expected + ")", expected));
    }

    /** Aliases were already reported where they were parsed; one error per mistake is enough. */
    void reject(YamlNode node, String path, String expected) {
        if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.ALIAS) {
            return;
        }
        reject(at(node, path), node.render(), expected);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** File errors by position, then errors without a line (environment overrides) as found. */
    List<ConfigError> sorted() {
        List<ConfigError> out = new ArrayList<>(errors);
        out.sort(Comparator.comparing((ConfigError e) -> e.line() == 0)
                .thenComparingInt(ConfigError::line)
                .thenComparingInt(ConfigError::column));
        return out;
    }
}
