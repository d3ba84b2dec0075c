package io.gridgate.node.config;

import io.gridgate.node.config.ValueMatch.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a route's {@code match}: hosts, path or prefix, methods, and header and query conditions. */
final class MatchReader {

    static final String[] KEYS = {"hosts", "path", "pathPrefix", "methods", "headers", "query"};
    private static final String[] CONDITION_KEYS = {"name", "present", "equals", "regex"};

    private MatchReader() {
    }

    /** An absent or empty section matches every request. */
    static MatchConfig read(Section s) {
        List<String> hosts = s.list("hosts", Addresses.hostPattern(),
                "a sequence of hosts such as [api.example.com, \"*.example.com\"]", null);
        Optional<String> path = s.optional("path", PathTemplates.template());
        Optional<String> pathPrefix = s.optional("pathPrefix", PathTemplates.prefix());
        s.exclusive("path", "pathPrefix");
        List<String> methods = s.list("methods", ValueTypes.upperCaseToken("an HTTP method such as GET"),
                "a sequence of methods such as [GET, POST]", null);
        List<ValueMatch> headers = conditions(s, "headers",
                ValueTypes.token("a header name", name -> name), "a header name");
        List<ValueMatch> query = conditions(s, "query",
                ValueTypes.matching(".+", "a query parameter name"), "a query parameter name");
        return new MatchConfig(hosts, path, pathPrefix, methods, headers, query);
    }

    private static List<ValueMatch> conditions(Section s, String key, ValueType<String> nameType, String what) {
        List<YamlNode> items = s.sequence(key, "a sequence of conditions such as [{name: X-Env, equals: canary}]");
        List<ValueMatch> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Section item = s.reading().section(items.get(i), s.pathOf(key) + "/" + i, CONDITION_KEYS);
            ValueMatch match = condition(item, nameType, what);
            if (match != null) {
                out.add(match);
            }
        }
        return out;
    }

    private static ValueMatch condition(Section s, ValueType<String> nameType, String what) {
        String name = s.required("name", nameType, what);
        Optional<Boolean> present = s.optional("present", ValueTypes.bool());
        Optional<String> equals = s.optional("equals", ValueTypes.anyText("the exact value"));
        Optional<String> regex = s.optional("regex", ValueTypes.regex());
        if (!s.has("present") && !s.has("equals") && !s.has("regex")) {
            s.missingOneOf("a condition on the value", "present", "equals", "regex");
        }
        boolean conflict = s.exclusive("present", "equals", "regex");
        if (present.isPresent() && !present.get()) {
            // "present: false" reads as "absent", which this condition cannot express; refuse rather than guess.
            s.reject("present", "true");
        }
        if (name == null || conflict) {
            return null;
        }
        if (present.isPresent()) {
            return new ValueMatch(name, Kind.PRESENT, "");
        }
        if (equals.isPresent()) {
            return new ValueMatch(name, Kind.EQUALS, equals.get());
        }
        return regex.map(r -> new ValueMatch(name, Kind.REGEX, r)).orElse(null);
    }
}
