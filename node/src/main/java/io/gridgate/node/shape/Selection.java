package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The paths of {@code include} or {@code exclude}, merged into one tree of steps so that a
 * document is walked once for all of them, not once per path. A walk carries the set of tree
 * nodes the current document node matches; a member matches its name's branch and the {@code *}
 * branch, so overlapping paths such as {@code /items/*} and {@code /items/0/sku} combine.
 */
final class Selection {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Branch root;

    private Selection(Branch root) {
        this.root = root;
    }

    static Selection of(List<Path> paths) {
        Draft root = new Draft();
        for (Path path : paths) {
            Draft at = root;
            for (Step step : path.steps()) {
                at = step instanceof Step.Member member
                        ? at.members.computeIfAbsent(member.name(), name -> new Draft())
                        : (at.any == null ? at.any = new Draft() : at.any);
            }
            at.end = true;
        }
        return new Selection(root.freeze());
    }

    boolean isEmpty() {
        return root.members.isEmpty() && root.any == null;
    }

    /**
     * A new document holding what the paths reach and the containers on the way to it; a
     * container the paths walk through is kept even when nothing in it matched, a scalar where a
     * path goes on is not. A document that is not a container is copied as it is.
     */
    JsonNode keep(JsonNode document, Visits visits) {
        if (!document.isContainerNode()) {
            return Trees.copy(document, visits);
        }
        return project(document, List.of(root), visits);
    }

    private static JsonNode project(JsonNode node, List<Branch> at, Visits visits) {
        visits.add();
        if (ends(at)) {
            return Trees.copy(node, visits);
        }
        if (node.isObject()) {
            ObjectNode kept = NODES.objectNode();
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                List<Branch> next = next(at, member.getKey());
                JsonNode child = next.isEmpty() ? null : project(member.getValue(), next, visits);
                if (child != null) {
                    kept.set(member.getKey(), child);
                }
            }
            return kept;
        }
        if (node.isArray()) {
            ArrayNode kept = NODES.arrayNode();
            boolean named = hasMembers(at);
            for (int i = 0; i < node.size(); i++) {
                List<Branch> next = next(at, named ? Integer.toString(i) : null);
                JsonNode child = next.isEmpty() ? null : project(node.get(i), next, visits);
                if (child != null) {
                    kept.add(child);
                }
            }
            return kept;
        }
        return null;
    }

    /** Removes what the paths reach from {@code document}, in place. */
    void remove(JsonNode document, Visits visits) {
        prune(document, List.of(root), visits);
    }

    private static void prune(JsonNode node, List<Branch> at, Visits visits) {
        visits.add();
        if (node instanceof ObjectNode object) {
            List<String> removed = new ArrayList<>();
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                List<Branch> next = next(at, member.getKey());
                if (ends(next)) {
                    removed.add(member.getKey());
                } else if (!next.isEmpty()) {
                    prune(member.getValue(), next, visits);
                }
            }
            object.remove(removed);
        } else if (node instanceof ArrayNode array) {
            pruneElements(array, at, visits);
        }
    }

    /** Removing elements one by one would shift the rest each time; the survivors are collected instead. */
    private static void pruneElements(ArrayNode array, List<Branch> at, Visits visits) {
        boolean named = hasMembers(at);
        List<JsonNode> kept = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            List<Branch> next = next(at, named ? Integer.toString(i) : null);
            if (ends(next)) {
                continue;
            }
            if (!next.isEmpty()) {
                prune(array.get(i), next, visits);
            }
            kept.add(array.get(i));
        }
        if (kept.size() < array.size()) {
            array.removeAll();
            array.addAll(kept);
        }
    }

    /** The branches a child matches: its name's (when it has one to look up) and every {@code *}. */
    private static List<Branch> next(List<Branch> at, String name) {
        List<Branch> next = new ArrayList<>(2);
        for (Branch branch : at) {
            if (name != null) {
                Branch member = branch.members.get(name);
                if (member != null) {
                    next.add(member);
                }
            }
            if (branch.any != null) {
                next.add(branch.any);
            }
        }
        return next;
    }

    private static boolean ends(List<Branch> at) {
        for (Branch branch : at) {
            if (branch.end) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasMembers(List<Branch> at) {
        for (Branch branch : at) {
            if (!branch.members.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** A node of the merged tree: whether a path ends here, and where each next step leads. */
    private record Branch(boolean end, Map<String, Branch> members, Branch any) {
    }

    private static final class Draft {

        private final Map<String, Draft> members = new HashMap<>();
        private Draft any;
        private boolean end;

        Branch freeze() {
            Map<String, Branch> frozen = new HashMap<>();
            members.forEach((name, draft) -> frozen.put(name, draft.freeze()));
            return new Branch(end, Map.copyOf(frozen), any == null ? null : any.freeze());
        }
    }
}
