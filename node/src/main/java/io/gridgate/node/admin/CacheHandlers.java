package io.gridgate.node.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.ResponseCache;
import io.gridgate.node.cache.CacheResource;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * The response-cache endpoint of the admin API: an operator purges, on every node at once, the
 * cached responses for one URL, under one path prefix or carrying one tag.
 */
public final class CacheHandlers {

    static final int MAX_BODY_BYTES = 4 * 1024;
    private static final Logger LOG = Logger.getLogger(CacheHandlers.class.getName());
    /** Trailing garbage and repeated fields make a body ambiguous, so they are errors, not last-one-wins. */
    private static final ObjectReader STRICT_JSON = AdminExchanges.JSON.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ResponseCache cache;
    private final Optional<String> token;

    public CacheHandlers(ResponseCache cache, Optional<String> token) {
        this.cache = cache;
        this.token = token;
    }

    /**
     * {@code POST /admin/cache/purge} with {@code {"url": ...}}, {@code {"prefix": ...}} or
     * {@code {"tag": ...}}: 200 with how many entries the cluster removed.
     */
    public HttpHandler purge() {
        return authorized(exchange -> AdminExchanges.receiveAtMost(exchange, "a purge request", MAX_BODY_BYTES,
                this::purgeBody));
    }

    private void purgeBody(HttpServerExchange exchange, byte[] bytes) {
        JsonNode body;
        try {
            body = STRICT_JSON.readTree(bytes);
        } catch (IOException e) {
            AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, "the body is not JSON",
                    List.of(new FieldError("", firstLine(e), Purge.EXPECTED_BODY)));
            return;
        }
        Purge.Result parsed = Purge.parse(body);
        if (parsed.purge() == null) {
            AdminExchanges.reject(exchange, Reason.INVALID_REQUEST,
                    parsed.errors().size() + " problem(s) in the purge request; nothing was purged", parsed.errors());
            return;
        }
        Purge purge = parsed.purge();
        CompletionStage<Integer> purged = run(purge).whenComplete((count, error) -> {
            if (error == null) {
                LOG.info(() -> "cache purge by " + purge.by().field() + " " + purge.value() + ": " + count + " entries removed");
            }
        });
        AdminExchanges.respond(exchange, purged, Reason.GRID_UNAVAILABLE, count -> AdminExchanges.JSON.createObjectNode()
                .put("purged", count)
                .put("by", purge.by().field())
                .put("value", purge.value()));
    }

    /** A grid that refuses the call at once (shut down, say) fails the stage, as one that fails later does. */
    private CompletionStage<Integer> run(Purge purge) {
        try {
            return purge.by().run(cache, purge.value());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private HttpHandler authorized(HttpHandler next) {
        return AdminExchanges.requireBearer(token, Reason.ADMIN_DISABLED, "gridgate-admin", next);
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * A validated purge request: what it matches by and the value, a URL already in its
     * {@linkplain CacheResource resource} form. Parsing is pure, apart from HTTP and the grid.
     */
    record Purge(By by, String value) {

        static final String EXPECTED_BODY = "a JSON object with exactly one of url, prefix, tag";

        /** The purge, or null and every problem found. */
        record Result(Purge purge, List<FieldError> errors) {
        }

        /** What a purge matches entries by, each named as its JSON field, and how the grid purges by it. */
        enum By {
            URL("url", "a path and optional query", ResponseCache::purgeResource),
            PREFIX("prefix", "a path prefix", ResponseCache::purgePrefix),
            TAG("tag", null, ResponseCache::purgeTag);

            private static final String CHARACTERS = "without control characters";

            private final String field;
            private final String expected;
            private final boolean path;
            private final BiFunction<ResponseCache, String, CompletionStage<Integer>> purge;

            /** @param path what a path-valued field holds, or null for a plain string */
            By(String field, String path, BiFunction<ResponseCache, String, CompletionStage<Integer>> purge) {
                this.field = field;
                this.path = path != null;
                this.expected = path != null
                        ? path + ": a non-empty string starting with '/', " + CHARACTERS
                        : "a non-empty string " + CHARACTERS;
                this.purge = purge;
            }

            String field() {
                return field;
            }

            CompletionStage<Integer> run(ResponseCache cache, String value) {
                return purge.apply(cache, value);
            }

            /** No request path or stored tag holds a control character, and none reaches the log. */
            private boolean accepts(String value) {
                return !value.isEmpty() && (!path || value.charAt(0) == '/')
                        && value.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
            }

            /** The value as the grid matches it: a URL as its resource, with its query sorted. */
            private String normalized(String value) {
                return this == URL ? CacheResource.ofUrl(value) : value;
            }
        }

        /** @param body the parsed body; null or missing for an empty one */
        static Result parse(JsonNode body) {
            List<FieldError> errors = new ArrayList<>();
            if (!(body instanceof ObjectNode object)) {
                return new Result(null, List.of(new FieldError("", shown(body), EXPECTED_BODY)));
            }
            object.fieldNames().forEachRemaining(name -> {
                if (field(name) == null) {
                    errors.add(new FieldError("/" + name, "unknown field", "one of url, prefix, tag"));
                }
            });
            List<By> given = new ArrayList<>();
            String value = null;
            for (By by : By.values()) {
                JsonNode node = object.get(by.field);
                if (node == null) {
                    continue;
                }
                given.add(by);
                if (!node.isTextual() || !by.accepts(node.textValue())) {
                    errors.add(new FieldError("/" + by.field, shown(node), by.expected));
                } else {
                    value = node.textValue();
                }
            }
            if (given.size() != 1) {
                errors.add(new FieldError("", (given.isEmpty() ? "none of url, prefix, tag"
                        : String.join(" and ", given.stream().map(By::field).toList())) + " given",
                        "exactly one of url, prefix, tag"));
            }
            if (!errors.isEmpty()) {
                return new Result(null, List.copyOf(errors));
            }
            By by = given.get(0);
            return new Result(new Purge(by, by.normalized(value)), List.of());
        }

        private static By field(String name) {
            for (By by : By.values()) {
                if (by.field.equals(name)) {
                    return by;
                }
            }
            return null;
        }

        private static String shown(JsonNode node) {
            if (node == null || node.isMissingNode()) {
                return "empty body";
            }
            String text = node.isContainerNode() ? (node.isArray() ? "[...]" : "{...}") : node.toString();
            return text.length() > 80 ? text.substring(0, 80) + "..." : text;
        }
    }
}
