package io.gridgate.node.config;

import java.util.Map;
import java.util.Optional;

/** What every section reader shares: where errors go and the environment that may override values. */
record Reading(Problems problems, Map<String, String> env) {

    /** A blank variable counts as unset, since orchestrators often define every variable, some empty. */
    Optional<String> env(String variable) {
        return Optional.ofNullable(env.get(variable)).map(String::strip).filter(v -> !v.isEmpty());
    }

    Section section(YamlNode node, String path, String... keys) {
        return Section.open(this, node, path, node == null ? 1 : node.line(), node == null ? 1 : node.column(), keys);
    }
}
