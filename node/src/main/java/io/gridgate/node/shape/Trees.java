package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tree operations that keep the order of an object's members and never recurse into the
 * document: Jackson's own {@code deepCopy} recurses once per level, and a shape must not overflow
 * the stack on a document nested thousands deep.
 */
final class Trees {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Trees() {
    }

    /** A copy sharing nothing mutable with {@code source}; scalars are immutable and shared. */
    static JsonNode copy(JsonNode source, Visits visits) {
        if (!source.isContainerNode()) {
            visits.add();
            return source;
        }
        JsonNode root = emptyLike(source);
        Deque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(source, root));
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            visits.add();
            if (next.to() instanceof ObjectNode to) {
                for (Map.Entry<String, JsonNode> member : next.from().properties()) {
                    to.set(member.getKey(), child(member.getValue(), pending));
                }
            } else {
                ArrayNode to = (ArrayNode) next.to();
                for (JsonNode element : next.from()) {
                    to.add(child(element, pending));
                }
            }
        }
        return root;
    }

    private static JsonNode child(JsonNode from, Deque<Pending> pending) {
        if (!from.isContainerNode()) {
            return from;
        }
        JsonNode to = emptyLike(from);
        pending.push(new Pending(from, to));
        return to;
    }

    private static JsonNode emptyLike(JsonNode container) {
        return container.isObject() ? NODES.objectNode() : NODES.arrayNode();
    }

    /** Where {@code name} stands among the members of {@code object}, or -1. */
    static int position(ObjectNode object, String name) {
        int position = 0;
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (member.getKey().equals(name)) {
                return position;
            }
            position++;
        }
        return -1;
    }

    /** Puts {@code name} back at {@code position} among the members of {@code object}. */
    static void insert(ObjectNode object, int position, String name, JsonNode value) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (members.size() == position) {
                members.put(name, value);
            }
            members.put(member.getKey(), member.getValue());
        }
        members.putIfAbsent(name, value);
        object.removeAll();
        object.setAll(members);
    }

    /** Renames member {@code from} to {@code to} where it stands; a member already named {@code to} is replaced. */
    static void renameMember(ObjectNode object, String from, String to) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (member.getKey().equals(from)) {
                members.put(to, member.getValue());
            } else if (!member.getKey().equals(to)) {
                members.put(member.getKey(), member.getValue());
            }
        }
        object.removeAll();
        object.setAll(members);
    }

    private record Pending(JsonNode from, JsonNode to) {
    }
}
