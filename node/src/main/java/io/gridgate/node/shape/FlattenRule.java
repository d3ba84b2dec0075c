package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code flatten}: lifts the members of an object member into the object holding it,
 * where the flattened member stood. A name the parent already has (the flattened member's own
 * name included) stays taken: that member stays in the flattened object, which remains only if
 * something is left in it, so nothing is ever lost or overwritten.
 *
 * @param parent the steps to the objects holding the member, wildcards allowed
 * @param name   the member flattened
 */
record FlattenRule(List<Step> parent, String name) {

    static FlattenRule compile(String text, String rule) {
        Path path = Path.parse(text, rule);
        if (!(path.last() instanceof Step.Member member)) {
            throw new ShapeException(rule, ShapeException.quoted(text), RenameRule.NO_WILDCARD_LAST);
        }
        return new FlattenRule(path.steps(0, path.size() - 1), member.name());
    }

    void apply(JsonNode document, Visits visits) {
        Walk.forEach(document, parent, visits, node -> {
            if (node instanceof ObjectNode holder && holder.get(name) instanceof ObjectNode lifted) {
                lift(holder, lifted, visits);
            }
        });
    }

    private void lift(ObjectNode holder, ObjectNode lifted, Visits visits) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        ObjectNode left = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> member : holder.properties()) {
            visits.add();
            if (!member.getKey().equals(name)) {
                members.put(member.getKey(), member.getValue());
                continue;
            }
            for (Map.Entry<String, JsonNode> inner : lifted.properties()) {
                visits.add();
                if (holder.has(inner.getKey())) {
                    left.set(inner.getKey(), inner.getValue());
                } else {
                    members.put(inner.getKey(), inner.getValue());
                }
            }
            if (!left.isEmpty()) {
                members.put(name, left);
            }
        }
        holder.removeAll();
        holder.setAll(members);
    }
}
