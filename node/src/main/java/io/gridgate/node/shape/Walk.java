package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Consumer;

/**
 * Following compiled steps through a document. Recursion here is one level per step, so it is
 * bounded by {@link JsonShape#MAX_STEPS} however deep the document is.
 */
final class Walk {

    private Walk() {
    }

    /** The member of an object, or the element of an array the member names as an index; else null. */
    static JsonNode child(JsonNode node, Step.Member member) {
        if (node.isObject()) {
            return node.get(member.name());
        }
        if (node.isArray() && member.index() >= 0 && member.index() < node.size()) {
            return node.get(member.index());
        }
        return null;
    }

    /**
     * Runs {@code action} on every node the steps reach from {@code node}, wildcards included. The
     * action may change the node it is given, never the containers above it being iterated.
     */
    static void forEach(JsonNode node, List<Step> steps, Visits visits, Consumer<JsonNode> action) {
        visits.add();
        if (steps.isEmpty()) {
            action.accept(node);
            return;
        }
        List<Step> rest = steps.subList(1, steps.size());
        if (steps.get(0) instanceof Step.Member member) {
            JsonNode child = child(node, member);
            if (child != null) {
                forEach(child, rest, visits, action);
            }
        } else {
            for (JsonNode child : node) {
                forEach(child, rest, visits, action);
            }
        }
    }

    /**
     * Whether {@link #makeObject} would reach an object: every step finds a container, or finds
     * nothing (or null) in an object, where the rest can be created.
     */
    static boolean canMakeObject(JsonNode node, List<Step> steps) {
        for (Step step : steps) {
            JsonNode child = child(node, (Step.Member) step);
            if (child == null || child.isNull()) {
                return node.isObject();
            }
            if (!child.isContainerNode()) {
                return false;
            }
            node = child;
        }
        return node.isObject();
    }

    /** Follows name-only steps, creating missing (or null) object members as empty objects. */
    static ObjectNode makeObject(JsonNode node, List<Step> steps) {
        for (Step step : steps) {
            Step.Member member = (Step.Member) step;
            JsonNode child = child(node, member);
            if (child == null || child.isNull()) {
                child = ((ObjectNode) node).putObject(member.name());
            }
            node = child;
        }
        return (ObjectNode) node;
    }
}
