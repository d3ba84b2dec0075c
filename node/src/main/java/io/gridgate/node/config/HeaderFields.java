package io.gridgate.node.config;

import io.gridgate.node.config.ValueType.Checked;
import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Header names and values written in the config for responses: tokens for names, printable ASCII
 * for values, and none of the headers the gateway must own (framing, and CORS, which a route's
 * {@code cors} sets).
 */
final class HeaderFields {

    static final String NAME = "a header name";
    static final String VALUE = "a header value of printable ASCII characters";
    static final String NOT_FRAMING =
            "a header other than Content-Length, Transfer-Encoding and Connection, which the gateway sets itself";
    static final String NOT_CORS = "a header other than Access-Control-*, which a route's cors sets";

    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection");
    private static final String CORS_PREFIX = "access-control-";
    private static final ValueType<String> TOKEN = ValueTypes.token(NAME, name -> name);
    // CR or LF would end the header early and let the config write a second one.
    private static final ValueType<String> PRINTABLE = ValueTypes.matching("[\\t\\x20-\\x7e]*", VALUE);

    private HeaderFields() {
    }

    /** A header name that is not {@code *}, which CORS lists would read as a wildcard. */
    static ValueType<String> listedName() {
        return ValueType.text(NAME, text -> !text.contains("*") && TOKEN.check(Scalar.plain(text)).ok() ? text : null);
    }

    /** A name of a response header the config may set or remove. */
    static ValueType<String> responseName() {
        return ValueType.textChecked(HeaderFields::responseNameChecked, NAME);
    }

    private static Checked<String> responseNameChecked(String text) {
        if (!TOKEN.check(Scalar.plain(text)).ok()) {
            return Checked.rejected(NAME);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (FRAMING.contains(lower)) {
            return Checked.rejected(NOT_FRAMING);
        }
        return lower.startsWith(CORS_PREFIX) ? Checked.rejected(NOT_CORS) : Checked.ok(text);
    }

    /**
     * A mapping of response header name to value under {@code key}; an absent or null value is empty.
     * Names are case-insensitive, so {@code x-frame-options} repeats {@code X-Frame-Options}.
     */
    static Map<String, String> responseMap(Section s, String key, String expected) {
        Optional<YamlNode> node = s.value(key);
        if (node.isEmpty() || node.get() instanceof Scalar scalar && scalar.isNull()) {
            return Map.of();
        }
        if (!(node.get() instanceof Mapping mapping)) {
            s.reading().problems().reject(node.get(), s.pathOf(key), expected);
            return Map.of();
        }
        Problems problems = s.reading().problems();
        ValueType<String> names = responseName();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, Integer> firstLines = new HashMap<>();
        for (Entry entry : mapping.entries()) {
            String entryPath = s.pathOf(key) + "/" + YamlNode.pointerToken(entry.key());
            Checked<String> name = names.check(new Scalar(entry.key(), Scalar.Type.STRING, entry.line(), entry.column()));
            Integer first = name.ok() ? firstLines.putIfAbsent(entry.key().toLowerCase(Locale.ROOT), entry.line()) : null;
            Checked<String> value = PRINTABLE.check(entry.value());
            if (!name.ok() || first != null) {
                problems.reject(problems.at(entry.line(), entry.column(), entryPath), YamlNode.quote(entry.key()),
                        name.ok() ? "each header once; first at line " + first : name.expected());
            } else if (!value.ok()) {
                problems.reject(entry.value(), entryPath, value.expected());
            } else {
                headers.put(entry.key(), value.value());
            }
        }
        return headers;
    }
}
