package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.cluster.GridMember;
import io.gridgate.node.LiveConfig;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static io.gridgate.node.admin.AdminExchanges.JSON;

/**
 * The cluster's members as this node sees them, the configuration version and digest each one says it
 * runs, and whether that is the document the grid holds: a member on which a version failed stays on
 * the one before, and shows {@code "current": false} until a later version applies there.
 */
final class ClusterView implements HttpHandler {

    private final LiveConfig live;
    private final ConfigStore store;
    private final Supplier<List<GridMember>> members;
    private final String self;

    ClusterView(LiveConfig live, ConfigStore store, Supplier<List<GridMember>> members, String self) {
        this.live = live;
        this.store = store;
        this.members = members;
        this.self = self;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        AdminExchanges.respond(exchange, store.applied().thenCombine(store.current(), Versions::new),
                Reason.GRID_UNAVAILABLE, versions -> {
            ObjectNode body = JSON.createObjectNode();
            ConfigVersion running = live.running().version();
            ConfigVersion newest = versions.newest().orElse(running);
            body.put("self", self);
            body.put("expectedMembers", live.config().cluster().expectedMembers());
            body.put("configVersion", newest.version());
            body.put("configDigest", newest.digest());
            ArrayNode list = body.putArray("members");
            for (GridMember member : members.get()) {
                ObjectNode item = list.addObject().put("id", member.id()).put("address", member.address())
                        .put("local", member.local());
                ConfigVersion version = member.local() ? running : versions.applied().get(member.id());
                if (version == null) {
                    item.putNull("configVersion");
                } else {
                    item.put("configVersion", version.version()).put("configDigest", version.digest());
                }
                // By digest: after a healed split a member may run another document under the same number.
                item.put("current", version != null && version.digest().equals(newest.digest()));
            }
            return body;
        });
    }

    /** What each member runs, and the version in force in the grid. */
    private record Versions(Map<String, ConfigVersion> applied, Optional<ConfigVersion> newest) {
    }
}
