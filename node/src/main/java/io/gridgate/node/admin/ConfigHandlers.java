package io.gridgate.node.admin;

import io.gridgate.cluster.ApiKeyStore;
import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.GridMember;
import io.gridgate.node.LiveConfig;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpHandler;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The admin API of the cluster's shared configuration, behind the admin token: the whole document
 * ({@link ConfigDocument}), its history, diffs and rollback ({@link ConfigHistory}), the routes,
 * services, consumers and policies in it one at a time ({@link ConfigResources}), and the members
 * of the cluster with the version each runs. Every change is taken as {@link ConfigChanges} says.
 */
public final class ConfigHandlers {

    /** A document larger than this is refused: the whole history lives in one grid entry. */
    static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

    private final HttpHandler cluster;
    private final ConfigDocument document;
    private final ConfigHistory history;
    private final ConfigResources resources;

    public ConfigHandlers(LiveConfig live, ConfigStore store, ApiKeyStore apiKeys, Supplier<List<GridMember>> members,
                          String self, Optional<String> token, Map<String, String> env) {
        UnaryOperator<HttpHandler> guard =
                handler -> AdminExchanges.requireBearer(token, Reason.ADMIN_DISABLED, "gridgate-admin", handler);
        ConfigChanges changes = new ConfigChanges(live, store, apiKeys, self, env);
        this.cluster = guard.apply(new ClusterView(live, store, members, self)::handleRequest);
        this.document = new ConfigDocument(live, store, changes, guard);
        this.history = new ConfigHistory(live, store, changes, guard);
        this.resources = new ConfigResources(changes, store, live, guard);
    }

    /** {@code GET /admin/cluster}: the members and the version each one runs. */
    HttpHandler cluster() {
        return cluster;
    }

    /** The document whole: read, export, replace. */
    ConfigDocument document() {
        return document;
    }

    /** The versions kept: list, one, diff, rollback. */
    ConfigHistory history() {
        return history;
    }

    /** The routes, services, consumers and policies of the document, one at a time. */
    ConfigResources resources() {
        return resources;
    }
}
