package io.gridgate.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.ApiKeyStore;
import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.cluster.GridMember;
import io.gridgate.node.LiveConfig;
import io.gridgate.node.config.ConfigError;
import io.gridgate.node.config.ConfigException;
import io.gridgate.node.config.ConfigLoader;
import io.gridgate.node.config.SharedDocument;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static io.gridgate.node.admin.AdminExchanges.JSON;

/**
 * The admin API of the cluster's shared configuration: the whole document, its history, diffs and
 * rollback, and the routes, services, consumers and policies in it one at a time. Every change
 * names the version it is based on ({@code If-Match}), is validated exactly as the file is (same
 * messages, with the lines of the request body), is stored as the next version by a compare-and-set
 * in the grid, and answers once this node runs it. Reads show JWT secrets hidden; a document sent back with
 * them hidden keeps the secrets it had.
 */
public final class ConfigHandlers {

    /** A document larger than this is refused: the whole history lives in one grid entry. */
    static final int MAX_DOCUMENT_BYTES = 1024 * 1024;
    private static final String DOCUMENT = "a configuration document";
    private static final Duration APPLY_WAIT = Duration.ofSeconds(5);
    private static final HttpString ETAG = Headers.ETAG;
    private static final String BODY = RequestBody.SOURCE;
    private static final String IF_MATCH = "If-Match";
    private static final String IF_MATCH_EXPECTED = "a configuration version such as \"3\", the ETag of GET /admin/config";

    private final LiveConfig live;
    private final ConfigStore store;
    private final ApiKeyStore apiKeys;
    private final Supplier<List<GridMember>> members;
    private final String self;
    private final Optional<String> token;
    private final Map<String, String> env;

    /** {@code GET /admin/cluster}: the members and the version each one runs. */
    HttpHandler cluster() {
        return guarded(new ClusterView(live, store, members, self)::handleRequest);
    }

    /** The routes, services, consumers and policies of the document, one at a time. */
    ConfigResources resources() {
        return new ConfigResources(this, store, live);
    }

    public ConfigHandlers(LiveConfig live, ConfigStore store, ApiKeyStore apiKeys, Supplier<List<GridMember>> members,
                          String self, Optional<String> token, Map<String, String> env) {
        this.live = live;
        this.store = store;
        this.apiKeys = apiKeys;
        this.members = members;
        this.self = self;
        this.token = token;
        this.env = env;
    }

    HttpHandler guarded(HttpHandler handler) {
        return AdminExchanges.requireBearer(token, Reason.ADMIN_DISABLED, "gridgate-admin", handler);
    }

    // ---- the whole document ---------------------------------------------------------------------

    HttpHandler current() {
        return guarded(exchange -> AdminExchanges.respond(exchange, store.current(), Reason.GRID_UNAVAILABLE, found -> {
            ConfigVersion version = found.orElse(live.running().version());
            exchange.getResponseHeaders().put(ETAG, etag(version.version()));
            return describe(version, true);
        }));
    }

    HttpHandler export() {
        return guarded(exchange -> AdminExchanges.respond(exchange, store.current(), Reason.GRID_UNAVAILABLE, found -> {
            ConfigVersion version = found.orElse(live.running().version());
            exchange.getResponseHeaders().put(ETAG, etag(version.version()));
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/yaml; charset=utf-8");
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
            exchange.getResponseSender().send("# Gridgate shared configuration, version " + version.version()
                    + " (" + version.source() + ")\n"
                    + SharedDocument.yaml(SharedDocument.redacted(SharedDocument.tree(version.document()))));
            return null;
        }));
    }

    HttpHandler replace() {
        return guarded(exchange -> withBody(exchange, (basedOn, body) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            CompletionStage<Optional<ConfigVersion>> base = store.version(basedOn);
            AdminExchanges.respond(exchange, base, Reason.GRID_UNAVAILABLE, found -> {
                if (found.isEmpty()) {
                    conflictOrMissing(exchange, basedOn);
                    return AdminExchanges.LATER;
                }
                if (!text.contains(SharedDocument.HIDDEN)) {
                    commit(exchange, found.get(), text, "admin API: PUT /admin/config", RequestBody.checkedAsSent());
                    return AdminExchanges.LATER;
                }
                Optional<JsonNode> tree = asTree(exchange, text);
                if (tree.isEmpty()) {
                    return null;
                }
                SharedDocument.restoreSecrets(tree.get(), SharedDocument.tree(found.get().document()));
                // The document checked is rewritten from the body, so its lines are not the body's.
                commit(exchange, found.get(), SharedDocument.text(tree.get()), "admin API: PUT /admin/config",
                        RequestBody.yaml(text));
                return AdminExchanges.LATER;
            });
        }));
    }

    HttpHandler versions() {
        return guarded(exchange -> AdminExchanges.respond(exchange, store.history(), Reason.GRID_UNAVAILABLE, history -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("current", history.isEmpty() ? live.running().version().version()
                    : history.get(history.size() - 1).version());
            body.put("kept", ConfigStore.HISTORY);
            ArrayNode list = body.putArray("versions");
            history.forEach(version -> list.add(describe(version, false)));
            return body;
        }));
    }

    HttpHandler version() {
        return guarded(exchange -> {
            Long number = versionParameter(exchange, AdminExchanges.pathParameter(exchange, "version"), "version");
            if (number == null) {
                return;
            }
            AdminExchanges.respond(exchange, store.version(number), Reason.GRID_UNAVAILABLE, found -> {
                if (found.isEmpty()) {
                    notKept(exchange, number);
                    return null;
                }
                return describe(found.get(), true);
            });
        });
    }

    HttpHandler diff() {
        return guarded(exchange -> {
            Long from = versionParameter(exchange, query(exchange, "from"), "from");
            if (from == null) {
                return;
            }
            String toText = query(exchange, "to");
            Long to = toText.isEmpty() ? Long.valueOf(-1) : versionParameter(exchange, toText, "to");
            if (to == null) {
                return;
            }
            CompletableFuture<Optional<ConfigVersion>> a = store.version(from).toCompletableFuture();
            CompletableFuture<Optional<ConfigVersion>> b = (to < 0 ? store.current() : store.version(to)).toCompletableFuture();
            AdminExchanges.respond(exchange, a.thenCombine(b, (x, y) -> new Optional[] {x, y}), Reason.GRID_UNAVAILABLE,
                    pair -> {
                        for (int i = 0; i < 2; i++) {
                            if (pair[i].isEmpty()) {
                                notKept(exchange, i == 0 ? from : to);
                                return null;
                            }
                        }
                        ConfigVersion older = (ConfigVersion) pair[0].get();
                        ConfigVersion newer = (ConfigVersion) pair[1].get();
                        ObjectNode body = JSON.createObjectNode().put("from", older.version()).put("to", newer.version());
                        body.set("changes", JsonDiff.between(SharedDocument.redacted(SharedDocument.tree(older.document())),
                                SharedDocument.redacted(SharedDocument.tree(newer.document()))));
                        return body;
                    });
        });
    }

    HttpHandler rollback() {
        return guarded(exchange -> withBody(exchange, (basedOn, body) -> {
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                notJson(exchange, e, "a JSON object such as {\"version\": 3}");
                return;
            }
            JsonNode version = request == null ? null : request.get("version");
            if (version == null || !version.canConvertToLong() || version.asLong() < 1) {
                AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, new FieldError("/version",
                        version == null ? "missing" : version.toString(), "the number of a kept version, such as {\"version\": 3}"));
                return;
            }
            long target = request.get("version").asLong();
            CompletableFuture<Optional<ConfigVersion>> base = store.version(basedOn).toCompletableFuture();
            CompletableFuture<Optional<ConfigVersion>> old = store.version(target).toCompletableFuture();
            AdminExchanges.respond(exchange, base.thenCombine(old, (x, y) -> new Optional[] {x, y}), Reason.GRID_UNAVAILABLE,
                    pair -> {
                        if (pair[0].isEmpty()) {
                            conflictOrMissing(exchange, basedOn);
                            return AdminExchanges.LATER;
                        } else if (pair[1].isEmpty()) {
                            notKept(exchange, target);
                            return null;
                        }
                        commit(exchange, (ConfigVersion) pair[0].get(), ((ConfigVersion) pair[1].get()).document(),
                                "admin API: rollback to version " + target, RequestBody.none());
                        return AdminExchanges.LATER;
                    });
        }));
    }

    // ---- shared steps ---------------------------------------------------------------------------

    interface BodyHandler {
        void handle(long basedOn, byte[] body) throws Exception;
    }

    /** Checks If-Match, reads a body of at most {@link #MAX_DOCUMENT_BYTES}, then hands both on. */
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
            exchange.getResponseHeaders().put(ETAG, etag(current.version()));
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
                extra, headers -> headers.put(ETAG, etag(current.version())));
    }

    private static void notKept(HttpServerExchange exchange, long version) {
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

    private static Optional<JsonNode> asTree(HttpServerExchange exchange, String text) {
        try {
            return Optional.of(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(text));
        } catch (JsonProcessingException e) {
            AdminExchanges.reject(exchange, Reason.INVALID_CONFIG, BODY + ": not YAML or JSON: " + e.getOriginalMessage(),
                    List.of(new FieldError("", e.getOriginalMessage(), "a YAML or JSON document")));
            return Optional.empty();
        }
    }

    private static ObjectNode describe(ConfigVersion version, boolean withDocument) {
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

    private static String etag(long version) {
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

    private static Long versionParameter(HttpServerExchange exchange, String text, String name) {
        Long version = text.isEmpty() ? null : parseVersion(text);
        if (version == null) {
            AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, new FieldError(name, text.isEmpty() ? "missing" : text,
                    "a configuration version, a number from 1"));
        }
        return version;
    }

    private static String query(HttpServerExchange exchange, String name) {
        var values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? "" : values.getFirst();
    }
}
