package io.gridgate.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.node.config.ClientConfig.Edits;
import io.gridgate.node.config.ClientConfig.When;
import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;
import io.gridgate.node.config.YamlNode.Sequence;
import io.gridgate.node.shape.JsonShape;
import io.gridgate.node.shape.ShapeException;
import io.gridgate.node.shape.ShapeRules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a route's {@code clients}: the Backend-For-Frontend clients, their conditions, their request
 * edits and their response shapes, each shape compiled here so that a bad path fails at start with
 * its place in the file.
 */
final class ClientsReader {

    private static final String[] CLIENT_KEYS = {"name", "when", "response", "headers", "query"};
    private static final String[] SHAPE_KEYS = {"include", "exclude", "rename", "flatten", "defaults"};
    private static final String[] EDIT_KEYS = {"add", "remove", "rename"};
    private static final String PATHS = "a sequence of paths such as [/id, customer.name, \"items[*].sku\"]";

    private ClientsReader() {
    }

    static List<ClientConfig> read(Section route, boolean composite) {
        List<YamlNode> items = route.sequence("clients", "a sequence of clients such as [{name: mobile, when: {header: {X-Client: mobile}}, response: {include: [/id]}}]");
        List<ClientConfig> clients = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Section s = route.reading().section(items.get(i), route.pathOf("clients") + "/" + i, CLIENT_KEYS);
            String name = s.required("name", ValueTypes.matching("[a-z][a-z0-9_-]{0,31}", "a client name matching [a-z][a-z0-9_-]{0,31}"), "a client name");
            if (name != null && !names.add(name)) {
                s.reject("name", "a name no other client of the route has");
            }
            Optional<When> when = when(s.child("when", "header", "claim"));
            Section response = s.child("response", SHAPE_KEYS);
            if (response.present() && !composite) {
                rejectValue(s, "response", "no response shape on a route that proxies: shapes apply to a composite route's"
                        + " answer (a composition of one call shapes one service's)");
            }
            ShapeRules shape = shape(response);
            Edits headers = edits(s.child("headers", EDIT_KEYS), true);
            Edits query = edits(s.child("query", EDIT_KEYS), false);
            if (name != null) {
                clients.add(new ClientConfig(name, when, shape, headers, query));
            }
        }
        return clients;
    }

    private static Optional<When> when(Section s) {
        if (!s.present()) {
            return Optional.empty();
        }
        if (s.exclusive("header", "claim")) {
            return Optional.empty();
        }
        for (When.Source source : When.Source.values()) {
            String key = source.name().toLowerCase(java.util.Locale.ROOT);
            Optional<YamlNode> node = s.value(key);
            if (node.isPresent()) {
                if (node.get() instanceof Mapping mapping && mapping.entries().size() == 1
                        && mapping.entries().get(0).value() instanceof Scalar value && !value.isNull()) {
                    return Optional.of(new When(source, mapping.entries().get(0).key(), value.text()));
                }
                rejectValue(s, key, "one " + key + " and its value, such as {" + (source == When.Source.HEADER ? "X-Client" : "client") + ": mobile}");
                return Optional.empty();
            }
        }
        s.missingOneOf("header or claim", "header", "claim");
        return Optional.empty();
    }

    private static ShapeRules shape(Section s) {
        if (!s.present()) {
            return ShapeRules.EMPTY;
        }
        ShapeRules rules = new ShapeRules(
                s.list("include", ValueTypes.anyText("a path"), PATHS, null),
                s.list("exclude", ValueTypes.anyText("a path"), PATHS, null),
                strings(s, "rename", "a mapping of path to new path, such as {/customer/name: /customerName}"),
                s.list("flatten", ValueTypes.anyText("a path"), PATHS, null),
                defaults(s));
        try {
            JsonShape.compile(rules);
        } catch (ShapeException e) {
            String rule = e.rule();
            String key = rule.replaceAll("\\[.*", "");
            rejectValue(s, java.util.Arrays.asList(SHAPE_KEYS).contains(key) ? key : "include", e.getMessage());
        }
        return rules;
    }

    private static Map<String, JsonNode> defaults(Section s) {
        Optional<YamlNode> node = s.value("defaults");
        Map<String, JsonNode> defaults = new LinkedHashMap<>();
        if (node.isEmpty() || node.get() instanceof Scalar scalar && scalar.isNull()) {
            return defaults;
        }
        if (!(node.get() instanceof Mapping mapping)) {
            rejectValue(s, "defaults", "a mapping of path to value, such as {/status: unknown}");
            return defaults;
        }
        for (Entry entry : mapping.entries()) {
            JsonNode value = json(entry.value());
            if (value == null || value.isNull()) {
                s.reading().problems().reject(entry.value(), s.pathOf("defaults") + "/" + YamlNode.pointerToken(entry.key()),
                        "a value other than null");
            } else {
                defaults.put(entry.key(), value);
            }
        }
        return defaults;
    }

    /** A YAML value as JSON: numbers, booleans and strings as the core schema types them. */
    private static JsonNode json(YamlNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof Mapping mapping) {
            ObjectNode object = f.objectNode();
            mapping.entries().forEach(e -> object.set(e.key(), json(e.value())));
            return object;
        }
        if (node instanceof Sequence sequence) {
            ArrayNode array = f.arrayNode();
            sequence.items().forEach(item -> array.add(json(item)));
            return array;
        }
        Scalar scalar = (Scalar) node;
        return switch (scalar.type()) {
            case INTEGER -> f.numberNode(Long.parseLong(scalar.text()));
            case FLOAT -> f.numberNode(Double.parseDouble(scalar.text()));
            case TRUE -> f.booleanNode(true);
            case FALSE -> f.booleanNode(false);
            case NULL -> f.nullNode();
            default -> f.textNode(scalar.text());
        };
    }

    private static Edits edits(Section s, boolean headers) {
        if (!s.present()) {
            return Edits.NONE;
        }
        String what = headers ? "header" : "query parameter";
        return new Edits(strings(s, "add", "a mapping of " + what + " to value"),
                s.list("remove", headers ? HeaderFields.listedName() : ValueTypes.matching(".+", "a query parameter name"),
                        "a sequence of " + what + " names", null),
                strings(s, "rename", "a mapping of " + what + " to its new name"));
    }

    private static Map<String, String> strings(Section s, String key, String expected) {
        Optional<YamlNode> node = s.value(key);
        Map<String, String> values = new LinkedHashMap<>();
        if (node.isEmpty() || node.get() instanceof Scalar scalar && scalar.isNull()) {
            return values;
        }
        if (!(node.get() instanceof Mapping mapping)) {
            rejectValue(s, key, expected);
            return values;
        }
        for (Entry entry : mapping.entries()) {
            if (entry.value() instanceof Scalar scalar && !scalar.isNull() && !scalar.text().isEmpty()) {
                values.put(entry.key(), scalar.text());
            } else {
                s.reading().problems().reject(entry.value(), s.pathOf(key) + "/" + YamlNode.pointerToken(entry.key()), expected);
            }
        }
        return values;
    }

    private static void rejectValue(Section s, String key, String expected) {
        if (!s.reject(key, expected)) {
            s.value(key).ifPresent(node -> s.reading().problems().reject(node, s.pathOf(key), expected));
        }
    }
}
