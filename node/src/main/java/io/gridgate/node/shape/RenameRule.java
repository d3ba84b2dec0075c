package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code rename}: moves an object member to another place. Both paths share their
 * steps up to the last {@code *} (the {@code scope}), so each {@code *} stands for the same member
 * or element on both sides and the move happens inside every container the scope reaches:
 * {@code /items/*}{@code /sku -> /items/*}{@code /id} renames the field in each item. An object
 * the move leaves empty is removed, as flatten removes an object it empties.
 *
 * @param scope the shared steps, wildcards included; empty when there is no wildcard
 * @param from  name-only steps from a scope node to the member moved
 * @param to    name-only steps from a scope node to where it goes
 */
record RenameRule(List<Step> scope, List<Step> from, List<Step> to) {

    static final String NO_WILDCARD_LAST = "a member name as the last step, not *";

    static RenameRule compile(String fromText, String toText, String rule) {
        Path from = Path.parse(fromText, rule + ".from");
        Path to = Path.parse(toText, rule + ".to");
        if (from.last() instanceof Step.Any) {
            throw new ShapeException(rule + ".from", ShapeException.quoted(fromText), NO_WILDCARD_LAST);
        }
        if (to.last() instanceof Step.Any) {
            throw new ShapeException(rule + ".to", ShapeException.quoted(toText), NO_WILDCARD_LAST);
        }
        String both = ShapeException.quoted(fromText) + " -> " + ShapeException.quoted(toText);
        if (from.wildcards() != to.wildcards()) {
            throw new ShapeException(rule, both, "as many * steps in the target as in the source (" + from.wildcards() + ")");
        }
        int scope = from.lastWildcard() + 1;
        if (scope > 0 && !to.steps(0, scope).equals(from.steps(0, scope))) {
            throw new ShapeException(rule, both, "the same steps as the source up to its last * ("
                    + new Path(from.steps(0, scope)) + "), so that each * stands for the same member or element");
        }
        return new RenameRule(from.steps(0, scope), from.steps(scope, from.size()), to.steps(scope, to.size()));
    }

    /** A rename onto itself changes nothing. */
    boolean isIdentity() {
        return from.equals(to);
    }

    void apply(JsonNode document, Visits visits) {
        Walk.forEach(document, scope, visits, this::move);
    }

    private void move(JsonNode scoped) {
        List<JsonNode> chain = chain(scoped);
        String name = ((Step.Member) from.get(from.size() - 1)).name();
        if (chain == null || !(chain.get(chain.size() - 1) instanceof ObjectNode source) || !source.has(name)) {
            return;
        }
        String target = ((Step.Member) to.get(to.size() - 1)).name();
        List<Step> targetParent = to.subList(0, to.size() - 1);
        if (targetParent.equals(from.subList(0, from.size() - 1))) {
            Trees.renameMember(source, name, target);
            return;
        }
        int position = Trees.position(source, name);
        JsonNode value = source.remove(name);
        if (Walk.canMakeObject(scoped, targetParent)) {
            Walk.makeObject(scoped, targetParent).set(target, value);
            removeEmptied(chain);
        } else {
            Trees.insert(source, position, name, value);
        }
    }

    /** The nodes from the scope node to the source's parent, or null where a step finds nothing. */
    private List<JsonNode> chain(JsonNode scoped) {
        List<JsonNode> chain = new ArrayList<>(from.size());
        chain.add(scoped);
        for (Step step : from.subList(0, from.size() - 1)) {
            JsonNode next = Walk.child(chain.get(chain.size() - 1), (Step.Member) step);
            if (next == null) {
                return null;
            }
            chain.add(next);
        }
        return chain;
    }

    /**
     * Removes the objects the move left empty, from the source's parent up to the scope node
     * (which stays): they held the member, so the client asked for it elsewhere, not for their
     * empty shells. Array elements are never removed, so indexes keep their meaning.
     */
    private void removeEmptied(List<JsonNode> chain) {
        for (int i = chain.size() - 1; i > 0; i--) {
            String name = ((Step.Member) from.get(i - 1)).name();
            if (!(chain.get(i) instanceof ObjectNode emptied) || !emptied.isEmpty()
                    || !(chain.get(i - 1) instanceof ObjectNode holder) || holder.get(name) != emptied) {
                return;
            }
            holder.remove(name);
        }
    }
}
