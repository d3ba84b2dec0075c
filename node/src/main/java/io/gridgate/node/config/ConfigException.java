package io.gridgate.node.config;

import java.util.List;
import java.util.stream.Collectors;

/** Configuration that cannot be used; carries every problem found, in document order. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<ConfigError> errors;

    /** @param errors at least one error; the message is their lines joined by {@code \n} */
    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
