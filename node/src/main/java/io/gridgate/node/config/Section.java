package io.gridgate.node.config;

import io.gridgate.node.config.Problems.Where;
import io.gridgate.node.config.ValueType.Checked;
import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;
import io.gridgate.node.config.YamlNode.Sequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One YAML mapping read against a fixed set of keys. Unknown keys are reported when it is opened;
 * every read reports its own error and returns the default, so reading always goes on to the end.
 * It remembers where each value came from (file or environment), so that checks across values can
 * point at the one to fix.
 */
final class Section {

    private static final Mapping EMPTY = new Mapping(List.of(), 0, 0);

    private record Origin(Where where, String shown) {
    }

    private final Reading reading;
    private final Problems problems;
    private final Mapping mapping;
    private final String path;
    private final int line;
    private final int column;
    private final boolean present;
    /** False after a shape error: "missing" errors on top of "not a mapping" would only be noise. */
    private final boolean usable;
    private final Map<String, Origin> origins = new HashMap<>();
    private final Set<String> failed = new HashSet<>();

    private Section(Reading reading, Mapping mapping, String path, int line, int column,
                    boolean present, boolean usable) {
        this.reading = reading;
        this.problems = reading.problems();
        this.mapping = mapping;
        this.path = path;
        this.line = line;
        this.column = column;
        this.present = present;
        this.usable = usable;
    }

    /**
     * @param node the mapping, {@code null} when absent; a YAML null reads as an empty mapping
     * @param line where "missing key" errors point when the node has no useful position
     */
    static Section open(Reading reading, YamlNode node, String path, int line, int column, String... keys) {
        if (node == null) {
            return new Section(reading, EMPTY, path, line, column, false, true);
        }
        if (node instanceof Scalar s && s.isNull()) {
            return new Section(reading, EMPTY, path, line, column, true, true);
        }
        if (node instanceof Mapping m) {
            Section section = new Section(reading, m, path, m.line(), m.column(), true, true);
            section.reportUnknownKeys(List.of(keys));
            return section;
        }
        reading.problems().reject(node, path, "a mapping");
        return new Section(reading, EMPTY, path, node.line(), node.column(), true, false);
    }

    boolean present() {
        return present;
    }

    boolean has(String key) {
        return mapping.get(key).isPresent();
    }

    String pathOf(String key) {
        return path + "/" + YamlNode.pointerToken(key);
    }

    Reading reading() {
        return reading;
    }

    Optional<YamlNode> value(String key) {
        return mapping.get(key).map(Entry::value);
    }

    /** Where the value of {@code key} is written; empty when it is not. */
    Optional<Where> where(String key) {
        return value(key).map(node -> problems.at(node, pathOf(key)));
    }

    Section child(String key, String... keys) {
        Optional<Entry> entry = mapping.get(key);
        if (entry.isEmpty()) {
            return open(reading, null, pathOf(key), line, column, keys);
        }
        // An empty value sits at the end of its line; errors about it read better at its key.
        return open(reading, entry.get().value(), pathOf(key), entry.get().line(), entry.get().column(), keys);
    }

    /** The items of a sequence value; absent or null means none. */
    List<YamlNode> sequence(String key, String expected) {
        Optional<YamlNode> node = value(key);
        if (node.isEmpty() || node.get() instanceof Scalar s && s.isNull()) {
            return List.of();
        }
        if (node.get() instanceof Sequence sequence) {
            return sequence.items();
        }
        failed.add(key);
        problems.reject(node.get(), pathOf(key), expected);
        return List.of();
    }

    /** The value of {@code key}: {@code dflt} when absent, and also when invalid (after reporting it). */
    <T> T get(String key, ValueType<T> type, T dflt) {
        return get(key, type, dflt, false);
    }

    private <T> T get(String key, ValueType<T> type, T dflt, boolean secret) {
        Optional<YamlNode> node = value(key);
        if (node.isEmpty()) {
            return dflt;
        }
        Where where = problems.at(node.get(), pathOf(key));
        String shown = secret ? HIDDEN : node.get().render();
        origins.put(key, new Origin(where, shown));
        Checked<T> checked = type.check(node.get());
        if (checked.ok()) {
            return checked.value();
        }
        failed.add(key);
        if (secret) {
            problems.reject(where, shown, checked.expected());
        } else {
            problems.reject(node.get(), pathOf(key), checked.expected());
        }
        return dflt;
    }

    /** Like {@link #get(String, ValueType, Object)}, then replaced by {@code variable} when it is set. */
    <T> T get(String key, ValueType<T> type, T dflt, String variable) {
        return get(key, type, dflt, variable, false);
    }

    /** A secret (a token, a password): an error about it shows {@code (hidden)}, never the value. */
    <T> Optional<T> optionalSecret(String key, ValueType<T> type, String variable) {
        return Optional.ofNullable(get(key, type, null, variable, true));
    }

    private static final String HIDDEN = "(hidden)";

    private <T> T get(String key, ValueType<T> type, T dflt, String variable, boolean secret) {
        T fromFile = get(key, type, dflt, secret);
        Optional<String> text = reading.env(variable);
        if (text.isEmpty()) {
            return fromFile;
        }
        Where where = Where.env(variable);
        String shown = secret ? HIDDEN : YamlNode.quote(text.get());
        origins.put(key, new Origin(where, shown));
        Checked<T> checked = type.check(Scalar.plain(text.get()));
        if (checked.ok()) {
            failed.remove(key);
            return checked.value();
        }
        failed.add(key);
        problems.reject(where, shown, checked.expected());
        return fromFile;
    }

    <T> Optional<T> optional(String key, ValueType<T> type) {
        return Optional.ofNullable(get(key, type, null));
    }

    <T> Optional<T> optional(String key, ValueType<T> type, String variable) {
        return Optional.ofNullable(get(key, type, null, variable));
    }

    /** A value that must be written; {@code null} once reported missing or invalid. */
    <T> T required(String key, ValueType<T> type, String expected) {
        if (!has(key)) {
            missing(key, expected);
            return null;
        }
        return get(key, type, null);
    }

    /** A value that must be written here or given by {@code variable}. */
    <T> T required(String key, ValueType<T> type, String expected, String variable) {
        if (!has(key) && reading.env(variable).isEmpty()) {
            missing(key, expected);
            return null;
        }
        return get(key, type, null, variable);
    }

    void missing(String key, String expected) {
        if (usable) {
            problems.reject(problems.at(line, column, path), "missing \"" + key + "\"", expected);
        }
    }

    void missingOneOf(String expected, String... keys) {
        if (usable) {
            problems.reject(problems.at(line, column, path), "missing one of \"" + String.join("\", \"", keys) + "\"",
                    expected);
        }
    }

    /**
     * A sequence of distinct values, each checked by {@code itemType}; {@code variable}, when set,
     * replaces it with its comma-separated items.
     */
    <T> List<T> list(String key, ValueType<T> itemType, String expected, String variable) {
        List<T> values = new ArrayList<>();
        Map<T, Integer> firstLines = new HashMap<>();
        List<YamlNode> items = sequence(key, expected);
        value(key).ifPresent(node -> origins.put(key, new Origin(problems.at(node, pathOf(key)), node.render())));
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemPath = pathOf(key) + "/" + i;
            Checked<T> checked = itemType.check(item);
            if (!checked.ok()) {
                failed.add(key);
                problems.reject(item, itemPath, checked.expected());
            } else if (firstLines.containsKey(checked.value())) {
                failed.add(key);
                problems.reject(item, itemPath, "each value once; first at line " + firstLines.get(checked.value()));
            } else {
                firstLines.put(checked.value(), item.line());
                values.add(checked.value());
            }
        }
        Optional<String> text = variable == null ? Optional.empty() : reading.env(variable);
        return text.isPresent() ? override(key, itemType, variable, text.get()) : values;
    }

    private <T> List<T> override(String key, ValueType<T> itemType, String variable, String text) {
        Where where = Where.env(variable);
        origins.put(key, new Origin(where, YamlNode.quote(text)));
        failed.remove(key);
        List<T> values = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Checked<T> checked = itemType.check(Scalar.plain(part.strip()));
            if (!checked.ok()) {
                failed.add(key);
                problems.reject(where, YamlNode.quote(part.strip()), checked.expected());
            } else if (values.contains(checked.value())) {
                failed.add(key);
                problems.reject(where, YamlNode.quote(part.strip()), "each value once");
            } else {
                values.add(checked.value());
            }
        }
        return values;
    }

    /** True when {@code key} holds a valid value from the file or the environment. */
    boolean isSet(String key) {
        return origins.containsKey(key) && !failed.contains(key);
    }

    /** True when the environment, not the file, gave the value of {@code key}. */
    boolean fromEnv(String key) {
        Origin origin = origins.get(key);
        return origin != null && "env".equals(origin.where().source()) && origin.where().line() == 0;
    }

    boolean failed(String key) {
        return failed.contains(key);
    }

    /** Reports the effective value of {@code key} (file or environment); false when it has none. */
    boolean reject(String key, String expected) {
        Origin origin = origins.get(key);
        if (origin == null) {
            return false;
        }
        failed.add(key);
        problems.reject(origin.where(), origin.shown(), expected);
        return true;
    }

    /**
     * Reports every written key of {@code keys} after the first, in document order. The error points
     * at the key rather than its value: the key is what has to go.
     */
    boolean exclusive(String... keys) {
        List<Entry> written = Arrays.stream(keys).map(mapping::get).flatMap(Optional::stream)
                .sorted(Comparator.comparingInt(Entry::line).thenComparingInt(Entry::column))
                .toList();
        for (Entry entry : written.subList(Math.min(1, written.size()), written.size())) {
            failed.add(entry.key());
            problems.reject(problems.at(entry.line(), entry.column(), pathOf(entry.key())),
                    entry.value().render(), "only one of " + joinAlternatives(keys));
        }
        return written.size() > 1;
    }

    private void reportUnknownKeys(List<String> known) {
        for (Entry entry : mapping.entries()) {
            if (!known.contains(entry.key())) {
                String hint = KeyHints.closest(entry.key(), known).map(k -> "; did you mean \"" + k + "\"?").orElse("");
                problems.reject(problems.at(entry.line(), entry.column(), pathOf(entry.key())), "unknown key",
                        "one of " + String.join(", ", known) + hint);
            }
        }
    }

    private static String joinAlternatives(String... keys) {
        if (keys.length == 1) {
            return keys[0];
        }
        return String.join(", ", Arrays.copyOf(keys, keys.length - 1)) + " and " + keys[keys.length - 1];
    }
}
