package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The differences between two configuration documents, as a list of {@code {op, path, from, to}}
 * with JSON-pointer paths: {@code add}, {@code remove} or {@code replace}. Arrays of objects that
 * all carry an {@code id} (routes, consumers) are matched by id, so inserting a route shows as one
 * added route, not as every later route replaced.
 */
final class JsonDiff {

    private JsonDiff() {
    }

    static ArrayNode between(JsonNode from, JsonNode to) {
        ArrayNode changes = JsonNodeFactory.instance.arrayNode();
        diff("", from, to, changes);
        return changes;
    }

    private static void diff(String path, JsonNode from, JsonNode to, ArrayNode changes) {
        if (from.equals(to)) {
            return;
        }
        if (from.isObject() && to.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            from.fieldNames().forEachRemaining(keys::add);
            to.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                String child = path + "/" + escape(key);
                if (!to.has(key)) {
                    change(changes, "remove", child, from.get(key), null);
                } else if (!from.has(key)) {
                    change(changes, "add", child, null, to.get(key));
                } else {
                    diff(child, from.get(key), to.get(key), changes);
                }
            }
        } else if (from.isArray() && to.isArray() && identified(from) && identified(to)) {
            for (JsonNode item : from) {
                if (find(to, item.get("id")) < 0) {
                    change(changes, "remove", path + "/" + find(from, item.get("id")), item, null);
                }
            }
            for (int i = 0; i < to.size(); i++) {
                int was = find(from, to.get(i).get("id"));
                if (was < 0) {
                    change(changes, "add", path + "/" + i, null, to.get(i));
                } else {
                    diff(path + "/" + i, from.get(was), to.get(i), changes);
                }
            }
        } else if (from.isArray() && to.isArray()) {
            int common = Math.min(from.size(), to.size());
            for (int i = 0; i < common; i++) {
                diff(path + "/" + i, from.get(i), to.get(i), changes);
            }
            for (int i = common; i < to.size(); i++) {
                change(changes, "add", path + "/" + i, null, to.get(i));
            }
            for (int i = from.size() - 1; i >= common; i--) {
                change(changes, "remove", path + "/" + i, from.get(i), null);
            }
        } else {
            change(changes, "replace", path, from, to);
        }
    }

    private static boolean identified(JsonNode array) {
        Set<JsonNode> ids = new LinkedHashSet<>();
        for (Iterator<JsonNode> items = array.elements(); items.hasNext(); ) {
            JsonNode item = items.next();
            if (!item.isObject() || !item.path("id").isTextual() || !ids.add(item.get("id"))) {
                return false;
            }
        }
        return true;
    }

    private static int find(JsonNode array, JsonNode id) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).get("id").equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static void change(ArrayNode changes, String op, String path, JsonNode from, JsonNode to) {
        ObjectNode change = changes.addObject().put("op", op).put("path", path.isEmpty() ? "" : path);
        if (from != null) {
            change.set("from", from);
        }
        if (to != null) {
            change.set("to", to);
        }
    }

    /** RFC 6901: {@code ~} and {@code /} in a key. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
