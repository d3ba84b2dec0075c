package io.gridgate.node.config;

import io.gridgate.node.config.ComposeConfig.Call;
import io.gridgate.node.config.ComposeConfig.Reference;
import io.gridgate.node.config.ComposeConfig.Template;
import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a route's {@code compose}: its calls, their templates and what they depend on. Every
 * reference must name something that exists (a path variable of the route's {@code match.path}, a
 * call of the same composition), and the calls must not depend on one another in a circle.
 */
final class ComposeReader {

    static final String[] KEYS = {"calls", "timeout", "maxBodyBytes", "maxFanOut", "forwardHeaders"};
    private static final String[] CALL_KEYS = {"id", "upstream", "path", "query", "timeout", "optional", "forEach", "into"};
    private static final String CALL_ID = "a call id matching [a-z][a-zA-Z0-9_-]{0,31}";
    private static final long MAX_BODY = 64L * 1024 * 1024;
    private static final int MAX_CALLS = 32;

    private ComposeReader() {
    }

    /** Empty without a {@code compose} section. */
    static Optional<ComposeConfig> read(Section s, List<String> pathVariables) {
        if (!s.present()) {
            return Optional.empty();
        }
        Duration deadline = s.get("timeout", Durations.type(), ComposeConfig.DEFAULT_TIMEOUT);
        List<YamlNode> items = s.sequence("calls", "a sequence of calls such as [{id: order, upstream: service:orders, path: /orders/{path.id}}]");
        if (items.isEmpty() && !s.failed("calls")) {
            s.missing("calls", "at least one call");
        }
        if (items.size() > MAX_CALLS) {
            reject(s, "calls", "at most " + MAX_CALLS + " calls");
        }
        List<Call> calls = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Section call = s.reading().section(items.get(i), s.pathOf("calls") + "/" + i, CALL_KEYS);
            sections.add(call);
            Call read = call(call, deadline, ids);
            if (read != null) {
                calls.add(read);
            }
        }
        Set<String> known = new HashSet<>(ids.keySet());
        for (int i = 0; i < calls.size(); i++) {
            checkReferences(sections.get(i), calls.get(i), known, pathVariables);
        }
        checkCycles(s, calls);
        ComposeConfig config = new ComposeConfig(calls, deadline,
                s.get("maxBodyBytes", ValueTypes.byteSize(MAX_BODY), ComposeConfig.DEFAULT_MAX_BODY_BYTES),
                s.get("maxFanOut", ValueTypes.integer(1, 100), ComposeConfig.DEFAULT_MAX_FAN_OUT),
                s.list("forwardHeaders", HeaderFields.listedName(), "a sequence of header names such as [Accept-Language]", null));
        return Optional.of(config);
    }

    private static Call call(Section s, Duration deadline, Map<String, Integer> ids) {
        String id = s.required("id", ValueTypes.matching("[a-z][a-zA-Z0-9_-]{0,31}", CALL_ID), "a call id");
        if (id != null) {
            if (Reference.REQUEST_SOURCES.contains(id)) {
                s.reject("id", "a call id other than " + String.join(", ", Reference.REQUEST_SOURCES));
                id = null;
            } else {
                Integer first = ids.putIfAbsent(id, s.value("id").map(YamlNode::line).orElse(0));
                if (first != null) {
                    s.reject("id", "a unique call id; first used at line " + first);
                    id = null;
                }
            }
        }
        String upstream = s.required("upstream", Addresses.upstreamUrl(), "an upstream URL or service:<name>");
        Template path = template(s, "path", true);
        Map<String, Template> query = query(s);
        Duration timeout = s.get("timeout", Durations.type(), deadline);
        if (timeout.compareTo(deadline) > 0 && !s.failed("timeout")) {
            s.reject("timeout", "at most the composition's timeout, " + Durations.format(deadline));
        }
        boolean optional = s.get("optional", ValueTypes.bool(), false);
        Optional<Reference> forEach = s.optional("forEach",
                ValueTypes.matching("[a-z][a-zA-Z0-9_-]{0,31}(\\.[A-Za-z0-9_-]+)+", "a reference to an array in another call's result, such as order.itemIds"))
                .map(Template::reference);
        String into = s.get("into", ValueTypes.matching("|[A-Za-z0-9_-]{1,64}", "a key of letters, digits, \"_\" and \"-\", or \"\" to merge at the top"),
                id == null ? "" : id);
        if (id == null || upstream == null || path == null) {
            return null;
        }
        return new Call(id, upstream, path, query, timeout, optional, forEach, into);
    }

    private static Template template(Section s, String key, boolean required) {
        String text = required
                ? s.required(key, ValueTypes.matching("/\\S*", "a path starting with \"/\", such as /orders/{path.id}"), "the path to call")
                : s.get(key, ValueTypes.anyText("a template"), null);
        if (text == null) {
            return null;
        }
        try {
            return Template.parse(text);
        } catch (IllegalArgumentException e) {
            s.reject(key, "a template whose references are such as {path.id}: " + e.getMessage());
            return null;
        }
    }

    private static Map<String, Template> query(Section s) {
        Optional<YamlNode> node = s.value("query");
        if (node.isEmpty() || node.get() instanceof Scalar scalar && scalar.isNull()) {
            return Map.of();
        }
        if (!(node.get() instanceof Mapping mapping)) {
            s.reject("query", "a mapping of parameter to template, such as {expand: \"{query.expand}\"}");
            return Map.of();
        }
        Map<String, Template> query = new LinkedHashMap<>();
        Problems problems = s.reading().problems();
        for (Entry entry : mapping.entries()) {
            String path = s.pathOf("query") + "/" + YamlNode.pointerToken(entry.key());
            if (!(entry.value() instanceof Scalar scalar) || scalar.isNull()) {
                problems.reject(entry.value(), path, "a template such as \"{query.page}\"");
                continue;
            }
            try {
                query.put(entry.key(), Template.parse(scalar.text()));
            } catch (IllegalArgumentException e) {
                problems.reject(entry.value(), path, "a template whose references are such as {path.id}: " + e.getMessage());
            }
        }
        return query;
    }

    private static void checkReferences(Section s, Call call, Set<String> calls, List<String> pathVariables) {
        List<Reference> references = new ArrayList<>(call.path().references());
        call.query().values().forEach(t -> references.addAll(t.references()));
        for (Reference r : references) {
            String problem = null;
            if (r.source().equals("path")) {
                if (r.steps().size() != 1 || !pathVariables.contains(r.steps().get(0))) {
                    problem = "{path.NAME} names a variable of the route's match.path " + pathVariables;
                }
            } else if (r.source().equals("query") || r.source().equals("header")) {
                if (r.steps().size() != 1) {
                    problem = "{" + r.source() + ".NAME}";
                }
            } else if (r.source().equals("item")) {
                if (call.forEach().isEmpty()) {
                    problem = "{item} only in a call with forEach";
                }
            } else if (!calls.contains(r.source())) {
                problem = "a reference to the request (path, query, header) or to a call of this composition " + calls;
            } else if (r.source().equals(call.id())) {
                problem = "a reference to another call, not to this one";
            } else if (r.steps().isEmpty()) {
                problem = "{" + r.source() + ".FIELD}: a field of that call's result";
            }
            if (problem != null) {
                reject(s, call.path().references().contains(r) ? "path" : "query", problem + " (found {" + r + "})");
            }
        }
        call.forEach().ifPresent(r -> {
            if (!calls.contains(r.source()) || r.source().equals(call.id())) {
                s.reject("forEach", "a reference to an array in another call's result, such as order.itemIds");
            }
        });
    }

    /** Reports a key's value whatever way it was read (a sequence or mapping leaves no origin to reject). */
    private static void reject(Section s, String key, String expected) {
        if (!s.reject(key, expected)) {
            s.value(key).ifPresent(node -> s.reading().problems().reject(node, s.pathOf(key), expected));
        }
    }

    private static void checkCycles(Section s, List<Call> calls) {
        Map<String, Call> byId = new HashMap<>();
        calls.forEach(c -> byId.put(c.id(), c));
        Set<String> done = new HashSet<>();
        for (Call call : calls) {
            List<String> trail = new ArrayList<>();
            if (cycle(call.id(), byId, done, trail)) {
                reject(s, "calls", "calls that do not depend on one another in a circle (" + String.join(" -> ", trail) + ")");
                return;
            }
        }
    }

    private static boolean cycle(String id, Map<String, Call> byId, Set<String> done, List<String> trail) {
        if (trail.contains(id)) {
            trail.add(id);
            return true;
        }
        if (done.contains(id) || !byId.containsKey(id)) {
            return false;
        }
        trail.add(id);
        for (String need : byId.get(id).needs()) {
            if (cycle(need, byId, done, trail)) {
                return true;
            }
        }
        trail.remove(trail.size() - 1);
        done.add(id);
        return false;
    }
}
