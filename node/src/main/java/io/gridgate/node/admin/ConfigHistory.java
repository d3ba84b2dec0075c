package io.gridgate.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.node.LiveConfig;
import io.gridgate.node.config.SharedDocument;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import static io.gridgate.node.admin.AdminExchanges.JSON;

/**
 * The versions of the shared configuration the grid keeps: the list, one version, the changes
 * between two, and a rollback, which stores an old version's document as the next version.
 */
final class ConfigHistory {

    private final LiveConfig live;
    private final ConfigStore store;
    private final ConfigChanges changes;
    private final UnaryOperator<HttpHandler> guard;

    ConfigHistory(LiveConfig live, ConfigStore store, ConfigChanges changes, UnaryOperator<HttpHandler> guard) {
        this.live = live;
        this.store = store;
        this.changes = changes;
        this.guard = guard;
    }

    /** {@code GET /admin/config/versions}. */
    HttpHandler versions() {
        return guard.apply(exchange -> AdminExchanges.respond(exchange, store.history(), Reason.GRID_UNAVAILABLE, history -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("current", history.isEmpty() ? live.running().version().version()
                    : history.get(history.size() - 1).version());
            body.put("kept", ConfigStore.HISTORY);
            ArrayNode list = body.putArray("versions");
            history.forEach(version -> list.add(ConfigChanges.describe(version, false)));
            return body;
        }));
    }

    /** {@code GET /admin/config/versions/{version}}. */
    HttpHandler version() {
        return guard.apply(exchange -> {
            Long number = versionParameter(exchange, AdminExchanges.pathParameter(exchange, "version"), "version");
            if (number == null) {
                return;
            }
            AdminExchanges.respond(exchange, store.version(number), Reason.GRID_UNAVAILABLE, found -> {
                if (found.isEmpty()) {
                    ConfigChanges.notKept(exchange, number);
                    return null;
                }
                return ConfigChanges.describe(found.get(), true);
            });
        });
    }

    /** {@code GET /admin/config/diff?from=&to=}, {@code to} the current version when absent. */
    HttpHandler diff() {
        return guard.apply(exchange -> {
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
                                ConfigChanges.notKept(exchange, i == 0 ? from : to);
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

    /** {@code POST /admin/config/rollback}. */
    HttpHandler rollback() {
        return guard.apply(exchange -> ConfigChanges.withBody(exchange, (basedOn, body) -> {
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                ConfigChanges.notJson(exchange, e, "a JSON object such as {\"version\": 3}");
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
                            changes.conflictOrMissing(exchange, basedOn);
                            return AdminExchanges.LATER;
                        } else if (pair[1].isEmpty()) {
                            ConfigChanges.notKept(exchange, target);
                            return null;
                        }
                        changes.commit(exchange, (ConfigVersion) pair[0].get(), ((ConfigVersion) pair[1].get()).document(),
                                "admin API: rollback to version " + target, RequestBody.none());
                        return AdminExchanges.LATER;
                    });
        }));
    }

    private static Long versionParameter(HttpServerExchange exchange, String text, String name) {
        Long version = text.isEmpty() ? null : ConfigChanges.parseVersion(text);
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
