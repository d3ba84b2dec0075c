package io.gridgate.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.ApiKeyStore;
import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.node.LiveConfig;
import io.gridgate.node.config.ConfigError;
import io.gridgate.node.config.ConfigException;
import io.gridgate.node.config.ConfigLoader;
import io.gridgate.node.config.SharedDocument;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.gridgate.node.admin.AdminExchanges.JSON;
import static io.gridgate.node.admin.ConfigHandlers.MAX_DOCUMENT_BYTES;

/**
 * How every change to the shared configuration is taken, whole or one resource at a time: the
 * version it is based on ({@code If-Match}) and its bounded body, validation exactly as the file's
 * (same messages, with the lines of the request body), the compare-and-set of the next version in
 * the grid, and the answer once this node runs it; also how a version and its refusals are shown.
 */
final class ConfigChanges {

    private static final Duration APPLY_WAIT = Duration.ofSeconds(5);
    private static final String BODY = RequestBody.SOURCE;
    private static final String DOCUMENT = "a configuration document";
    private static final String IF_MATCH = "If-Match";
    private static final String IF_MATCH_EXPECTED = "a configuration version such as \"3\", the ETag of GET /admin/config";

    private final LiveConfig live;
    private final ConfigStore store;
    private final ApiKeyStore apiKeys;
    private final String self;
    private final Map<String, String> env;

    ConfigChanges(LiveConfig live, ConfigStore store, ApiKeyStore apiKeys, String self, Map<String, String> env) {
        this.live = live;
        this.store = store;
        this.apiKeys = apiKeys;
        this.self = self;
        this.env = env;
    }

    interface BodyHandler {
        void handle(long basedOn, byte[] body) throws Exception;
    }

    /** Checks If-Match, reads a body of at most {@link ConfigHandlers#MAX_DOCUMENT_BYTES}, then hands both on. */
    static void withBody(HttpServerExchange exchange, BodyHandler next) {
        String ifMatch = exchange.getRequestHeaders().getFirst(Headers.IF_MATCH);
        if (ifMatch == null) {
            AdminExchanges.reject(exchange, Reason.PRECONDITION_REQUIRED, Reason.PRECONDITION_REQUIRED.message(),
                    List.of(new FieldError(IF_MATCH, "missing", IF_MATCH_EXPECTED)));
            return;
        }
        Long basedOn = parseVersion(ifMatch);
        if (basedOn == null) {
            AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, new FieldError(IF_MATCH, ifMatch, IF_MATCH_EXPECTED));
            return;
        }
        // Bounded as it arrives: a chunked body announces no length, and is refused once it passes the bound.
        AdminExchanges.receiveAtMost(exchange, DOCUMENT, MAX_DOCUMENT_BYTES, (ex, body) -> {
            try {
                next.handle(basedOn, body);
            } catch (Exception e) {
                LocalReply.send(ex, Reason.INTERNAL);
            }
        });
    }

    private static void tooLarge(HttpServerExchange exchange) {
        AdminExchanges.tooLarge(exchange, DOCUMENT, MAX_DOCUMENT_BYTES);
    }

    /** A 400 for a body that is not the JSON an endpoint takes, with the parser's complaint. */
    static void notJson(HttpServerExchange exchange, JsonProcessingException e, String expected) {
        AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, "the body is not JSON: " + e.getOriginalMessage(),
                List.of(new FieldError("", e.getOriginalMessage(), expected)));
    }

    /**
     * Validates {@code text} as this node would run it, stores it as the version after {@code base},
     * forgets the API keys it dropped, and answers once this node runs the new version.
     *
     * @param sent what the client sent, to report each problem of {@code text} where the client wrote it
     */
    void commit(HttpServerExchange exchange, ConfigVersion base, String text, String source, RequestBody sent) {
        try {
            ConfigLoader.parseShared(BODY, text, live.config(), env);
        } catch (ConfigException e) {
            invalid(exchange, e, sent.locator(text));
            return;
        }
        String document = SharedDocument.canonical(text);
        if (document.getBytes(StandardCharsets.UTF_8).length > MAX_DOCUMENT_BYTES) {
            tooLarge(exchange);
            return;
        }
        Set<String> dropped = new HashSet<>(SharedDocument.keyDigests(SharedDocument.tree(base.document())));
        dropped.removeAll(SharedDocument.keyDigests(SharedDocument.tree(document)));
        CompletionStage<ConfigStore.Change> change = store.change(base.version(), document, source + " on " + self);
        AdminExchanges.respond(exchange, change.thenCompose(outcome -> {
            if (!(outcome instanceof ConfigStore.Applied applied) || !applied.created()) {
                return CompletableFuture.completedFuture(new Outcome(outcome, false));
            }
            // The answer waits for the removals, so a key the change revoked fails from then on.
            CompletableFuture<?>[] removals = dropped.stream()
                    .map(digest -> apiKeys.remove(digest).toCompletableFuture()).toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(removals).thenCompose(removed -> live.whenRunning(applied.current().version()))
                    .completeOnTimeout(null, APPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(running -> new Outcome(outcome, running != null));
        }), Reason.GRID_UNAVAILABLE, outcome -> {
            ConfigVersion current = outcome.change().current();
            if (outcome.change() instanceof ConfigStore.Conflict) {
                conflict(exchange, base.version(), current);
                return null;
            }
            exchange.getResponseHeaders().put(Headers.ETAG, etag(current.version()));
            boolean created = ((ConfigStore.Applied) outcome.change()).created();
            ObjectNode body = describe(current, false);
            body.put("changed", created);
            body.put("runningHere", created ? outcome.runningHere() : true);
            return body;
        });
    }

    private record Outcome(ConfigStore.Change change, boolean runningHere) {
    }

    void conflictOrMissing(HttpServerExchange exchange, long basedOn) {
        AdminExchanges.respond(exchange, store.current(), Reason.GRID_UNAVAILABLE, current -> {
            if (current.isPresent() && current.get().version() != basedOn) {
                conflict(exchange, basedOn, current.get());
            } else {
                notKept(exchange, basedOn);
            }
            return null;
        });
    }

    private static void conflict(HttpServerExchange exchange, long basedOn, ConfigVersion current) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("currentVersion", Long.toString(current.version()));
        extra.put("errors", FieldError.json(List.of(new FieldError(IF_MATCH, etag(basedOn),
                "the version in force, " + etag(current.version())))).toString());
        LocalReply.send(exchange, Reason.VERSION_CONFLICT, "this change is based on version " + basedOn
                        + ", but the configuration is at version " + current.version()
                        + ": read it again (GET /admin/config) and apply the change to that",
                extra, headers -> headers.put(Headers.ETAG, etag(current.version())));
    }

    static void notKept(HttpServerExchange exchange, long version) {
        LocalReply.send(exchange, Reason.NOT_FOUND, "no configuration version " + version
                + " (the grid keeps the last " + ConfigStore.HISTORY + ")");
    }

    /**
     * Answers 400 invalid_config with {@code message}, which says what to do, and the problems the
     * validation of {@code text} finds, which say where.
     */
    void refuse(HttpServerExchange exchange, String text, String message) {
        List<ConfigError> errors = List.of();
        try {
            ConfigLoader.parseShared(BODY, text, live.config(), env);
        } catch (ConfigException e) {
            errors = e.errors();
        }
        invalid(exchange, message, errors, UnaryOperator.identity());
    }

    private static void invalid(HttpServerExchange exchange, ConfigException e, UnaryOperator<ConfigError> locate) {
        invalid(exchange, null, e.errors(), locate);
    }

    /**
     * Every problem as the file's validation reports it ({@code path} in the document, {@code message},
     * {@code text}), with {@code field} and {@code constraint} as every admin error has them, and
     * {@code line} and {@code column} in the request body when the problem is in it. The message is
     * {@code message} when given, else the one problem or their count.
     */
    private static void invalid(HttpServerExchange exchange, String message, List<ConfigError> errors,
                                UnaryOperator<ConfigError> locate) {
        ArrayNode problems = JSON.createArrayNode();
        List<String> texts = new ArrayList<>();
        for (ConfigError error : errors) {
            ConfigError located = locate.apply(error);
            ObjectNode item = problems.addObject()
                    .put("field", located.path())
                    .put("constraint", error.constraint())
                    .put("path", error.path())
                    .put("message", error.message());
            if (located.line() > 0) {
                item.put("line", located.line()).put("column", located.column());
            }
            item.put("text", located.toString());
            texts.add(located.toString());
        }
        String shown = message != null ? message
                : texts.size() == 1 ? texts.get(0) : texts.size() + " problems; see errors";
        LocalReply.send(exchange, Reason.INVALID_CONFIG, shown, "errors", problems.toString(), headers -> { });
    }

    static ObjectNode describe(ConfigVersion version, boolean withDocument) {
        ObjectNode body = JSON.createObjectNode()
                .put("version", version.version())
                .put("digest", version.digest())
                .put("changedAt", Instant.ofEpochMilli(version.changedAtMillis()).toString())
                .put("source", version.source());
        if (withDocument) {
            body.set("document", SharedDocument.redacted(SharedDocument.tree(version.document())));
        }
        return body;
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** {@code "3"}, {@code W/"3"} or {@code 3}. */
    static Long parseVersion(String ifMatch) {
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            long version = Long.parseLong(value);
            return version >= 1 ? version : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
