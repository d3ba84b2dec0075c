package io.gridgate.node.routing;

import io.gridgate.node.config.ValueMatch;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/** A compiled header or query-parameter predicate; regexes are compiled once, with the route. */
record ValuePredicate(String name, Predicate<String> test) {

    static ValuePredicate of(ValueMatch match) {
        Predicate<String> test = switch (match.kind()) {
            case PRESENT -> value -> true;
            case EQUALS -> match.value()::equals;
            case REGEX -> {
                Pattern pattern = Pattern.compile(match.value());
                yield value -> pattern.matcher(value).matches();
            }
        };
        return new ValuePredicate(match.name(), test);
    }

    boolean matches(String value) {
        return value != null && test.test(value);
    }
}
