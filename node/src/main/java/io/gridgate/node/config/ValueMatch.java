package io.gridgate.node.config;

/**
 * A predicate on a named header or query parameter.
 *
 * @param value the exact value for {@link Kind#EQUALS}, the regex (already checked to compile) for
 *     {@link Kind#REGEX}, empty for {@link Kind#PRESENT}
 */
public record ValueMatch(String name, Kind kind, String value) {

    /** How the value is compared. */
    public enum Kind { PRESENT, EQUALS, REGEX }
}
