package io.gridgate.node.config;

import java.util.Objects;

/**
 * One configuration problem, located as precisely as its source allows.
 *
 * @param source the file name as given, or {@code env} for an environment override
 * @param line 1-based line of the offending value, or 0 when the source has no lines
 * @param column 1-based column, or 0 with {@code line}
 * @param path a JSON pointer into the document ({@code ""} for the document itself), or the
 *     variable name when {@code source} is {@code env}
 * @param message what is wrong, usually {@code VALUE (expected: CONSTRAINT)}
 * @param constraint the {@code CONSTRAINT} of the message, kept apart so that an API can hand it to
 *     a program without parsing the message; {@code ""} when the message states none
 */
public record ConfigError(String source, int line, int column, String path, String message, String constraint) {

    public ConfigError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(constraint, "constraint");
    }

    /** An error whose message states no separate constraint. */
    public ConfigError(String source, int line, int column, String path, String message) {
        this(source, line, column, path, message, "");
    }

    /** The line printed for this error: {@code FILE:LINE:COL /json/pointer: VALUE (expected: CONSTRAINT)}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(source);
        if (line > 0) {
            out.append(':').append(line).append(':').append(column);
        }
        out.append(path.isEmpty() ? ": " : " " + path + ": ");
        return out.append(message).toString();
    }
}
