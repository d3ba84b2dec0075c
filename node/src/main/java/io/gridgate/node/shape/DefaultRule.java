package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of {@code defaults}: the value an object member gets when it is missing or null.
 * Wildcards only visit what exists, so objects are created only after the last {@code *}: a
 * default for {@code /items/*}{@code /qty} fills in each item but never invents an {@code items}.
 *
 * @param path  ends in a member name (checked when compiled)
 * @param value copied into the document each time it is used, so documents never share it
 */
record DefaultRule(Path path, JsonNode value) {

    static DefaultRule compile(String text, JsonNode value, String rule) {
        Path path = Path.parse(text, rule);
        if (path.last() instanceof Step.Any) {
            throw new ShapeException(rule, ShapeException.quoted(text),
                    "a member name as the last step; * cannot say which member to add");
        }
        return new DefaultRule(path, Trees.copy(value, new Visits()));
    }

    void apply(JsonNode document, Visits visits) {
        fill(document, 0, path.lastWildcard(), visits);
    }

    private void fill(JsonNode node, int step, int lastWildcard, Visits visits) {
        visits.add();
        if (step == path.size() - 1) {
            String name = ((Step.Member) path.last()).name();
            if (node instanceof ObjectNode object && (!object.has(name) || object.get(name).isNull())) {
                object.set(name, Trees.copy(value, visits));
            }
            return;
        }
        if (path.steps().get(step) instanceof Step.Member member) {
            JsonNode child = Walk.child(node, member);
            if ((child == null || child.isNull()) && step > lastWildcard && node instanceof ObjectNode object) {
                child = object.putObject(member.name());
            }
            if (child != null && child.isContainerNode()) {
                fill(child, step + 1, lastWildcard, visits);
            }
        } else {
            for (JsonNode child : node) {
                if (child.isContainerNode()) {
                    fill(child, step + 1, lastWildcard, visits);
                }
            }
        }
    }
}
