package io.gridgate.node.config;

import io.gridgate.node.config.YamlNode.Sequence;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads {@code responseHeaders}, under {@code server} or a route: headers to set and to remove. */
final class ResponseHeadersReader {

    static final String[] KEYS = {"set", "remove"};

    private static final String SET = "a mapping of header name to value, such as {X-Content-Type-Options: nosniff}";
    private static final String REMOVE = "a sequence of header names such as [Server, X-Powered-By]";

    private ResponseHeadersReader() {
    }

    /** The server's entries; without {@code remove}, upstreams' {@code Server} and {@code X-Powered-By} go. */
    static ResponseHeadersConfig readServer(Section s) {
        return read(s, ResponseHeadersConfig.DEFAULT_REMOVE);
    }

    static ResponseHeadersConfig readRoute(Section s) {
        return read(s, List.of());
    }

    private static ResponseHeadersConfig read(Section s, List<String> defaultRemove) {
        Map<String, String> set = HeaderFields.responseMap(s, "set", SET);
        List<String> remove = s.has("remove")
                ? s.list("remove", HeaderFields.responseName(), REMOVE, null)
                : defaultRemove;
        rejectRemovedAndSet(s, set);
        ResponseHeadersConfig config = new ResponseHeadersConfig(set, remove);
        return config.equals(ResponseHeadersConfig.NONE) ? ResponseHeadersConfig.NONE : config;
    }

    /** Removal runs before setting, so a header in both would only be replaced: likely a slip. */
    private static void rejectRemovedAndSet(Section s, Map<String, String> set) {
        if (set.isEmpty() || !(s.value("remove").orElse(null) instanceof Sequence sequence)) {
            return;
        }
        Set<String> setNames = set.keySet().stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (int i = 0; i < sequence.items().size(); i++) {
            YamlNode item = sequence.items().get(i);
            if (item instanceof YamlNode.Scalar scalar && setNames.contains(scalar.text().toLowerCase(Locale.ROOT))) {
                s.reading().problems().reject(item, s.pathOf("remove") + "/" + i,
                        "a header that set does not name; set replaces it anyway");
            }
        }
    }
}
