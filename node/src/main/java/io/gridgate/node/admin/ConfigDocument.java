package io.gridgate.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.node.LiveConfig;
import io.gridgate.node.config.SharedDocument;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The shared configuration as one document: read it, export it as YAML for a file, replace it.
 * Reads show JWT secrets hidden; a document sent back with them hidden keeps the secrets it had.
 */
final class ConfigDocument {

    private static final String SOURCE = "admin API: PUT /admin/config";

    private final LiveConfig live;
    private final ConfigStore store;
    private final ConfigChanges changes;
    private final UnaryOperator<HttpHandler> guard;

    ConfigDocument(LiveConfig live, ConfigStore store, ConfigChanges changes, UnaryOperator<HttpHandler> guard) {
        this.live = live;
        this.store = store;
        this.changes = changes;
        this.guard = guard;
    }

    /** {@code GET /admin/config}. */
    HttpHandler current() {
        return guard.apply(exchange -> AdminExchanges.respond(exchange, store.current(), Reason.GRID_UNAVAILABLE, found -> {
            ConfigVersion version = found.orElse(live.running().version());
            exchange.getResponseHeaders().put(Headers.ETAG, ConfigChanges.etag(version.version()));
            return ConfigChanges.describe(version, true);
        }));
    }

    /** {@code GET /admin/config/export}. */
    HttpHandler export() {
        return guard.apply(exchange -> AdminExchanges.respond(exchange, store.current(), Reason.GRID_UNAVAILABLE, found -> {
            ConfigVersion version = found.orElse(live.running().version());
            exchange.getResponseHeaders().put(Headers.ETAG, ConfigChanges.etag(version.version()));
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/yaml; charset=utf-8");
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
            exchange.getResponseSender().send("# Gridgate shared configuration, version " + version.version()
                    + " (" + version.source() + ")\n"
                    + SharedDocument.yaml(SharedDocument.redacted(SharedDocument.tree(version.document()))));
            return null;
        }));
    }

    /** {@code PUT /admin/config}. */
    HttpHandler replace() {
        return guard.apply(exchange -> ConfigChanges.withBody(exchange, (basedOn, body) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            CompletionStage<Optional<ConfigVersion>> base = store.version(basedOn);
            AdminExchanges.respond(exchange, base, Reason.GRID_UNAVAILABLE, found -> {
                if (found.isEmpty()) {
                    changes.conflictOrMissing(exchange, basedOn);
                    return AdminExchanges.LATER;
                }
                if (!text.contains(SharedDocument.HIDDEN)) {
                    changes.commit(exchange, found.get(), text, SOURCE, RequestBody.checkedAsSent());
                    return AdminExchanges.LATER;
                }
                Optional<JsonNode> tree = asTree(exchange, text);
                if (tree.isEmpty()) {
                    return null;
                }
                SharedDocument.restoreSecrets(tree.get(), SharedDocument.tree(found.get().document()));
                // The document checked is rewritten from the body, so its lines are not the body's.
                changes.commit(exchange, found.get(), SharedDocument.text(tree.get()), SOURCE, RequestBody.yaml(text));
                return AdminExchanges.LATER;
            });
        }));
    }

    private static Optional<JsonNode> asTree(HttpServerExchange exchange, String text) {
        try {
            return Optional.of(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(text));
        } catch (JsonProcessingException e) {
            AdminExchanges.reject(exchange, Reason.INVALID_CONFIG, RequestBody.SOURCE + ": not YAML or JSON: "
                    + e.getOriginalMessage(), List.of(new FieldError("", e.getOriginalMessage(), "a YAML or JSON document")));
            return Optional.empty();
        }
    }
}
