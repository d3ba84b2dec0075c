package io.gridgate.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.GridMember;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.InstanceState;
import io.gridgate.cluster.ServiceInstance;
import io.gridgate.cluster.ServiceRegistry;
import io.gridgate.node.metrics.GatewayMetrics;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.resilience.Breaker;
import io.gridgate.node.resilience.Breakers;
import io.gridgate.node.routing.Route;
import io.gridgate.node.routing.Router;
import io.undertow.server.HttpHandler;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /admin/overview}: everything the dashboard shows, in one document, as this node sees
 * it: the cluster's members, the routes in force, each service's instances and whether they take
 * traffic, this node's circuit breakers and its request counts by route. Every part is read from a
 * local view (the registry's, the member list, the breakers, the counters), so the answer never
 * waits on the grid and is written on the admin I/O thread.
 *
 * <pre>{@code
 * {"time": "2025-01-01T12:00:00.123Z",
 *  "node": {"memberId": "..."},
 *  "members": [{"id": "...", "address": "10.0.0.5:5701", "local": true}],
 *  "routes": [{"id": "orders", "methods": ["GET"], "hosts": [], "pathPrefix": "/orders",
 *              "upstream": "service:orders", "services": ["orders"]}],
 *  "services": [{"name": "orders", "instances": [{"id": "o-1", "scheme": "http", "host": "10.0.0.7",
 *                "port": 9000, "weight": 1, "zone": "eu-1a", "state": "healthy|ejected|expired",
 *                "ejectedUntil": "...", "lastHeartbeat": "..."}]}],
 *  "breakers": [{"name": "orders", "state": "CLOSED", "failureRate": -1.0}],
 *  "requests": [{"route": "orders", "count": 1234}, {"route": "none", "count": 5}]}
 * }</pre>
 * Request counts are this node's since it started; a rate is the difference between two overviews
 * divided by the difference of their {@code time}s.
 */
public final class OverviewHandlers {

    private final Grid grid;
    private final Router router;
    private final Breakers breakers;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final Optional<String> token;

    public OverviewHandlers(Grid grid, Router router, Breakers breakers, GatewayMetrics metrics, Clock clock,
                            Optional<String> token) {
        this.grid = grid;
        this.router = router;
        this.breakers = breakers;
        this.metrics = metrics;
        this.clock = clock;
        this.token = token;
    }

    /** The overview, behind the admin token. */
    public HttpHandler overview() {
        return AdminExchanges.requireBearer(token, Reason.ADMIN_DISABLED, "gridgate-admin", exchange -> {
            try {
                AdminExchanges.send(exchange, describe());
            } catch (JsonProcessingException e) {
                LocalReply.send(exchange, Reason.INTERNAL);
            }
        });
    }

    ObjectNode describe() {
        // Millisecond precision, which every browser's date parser reads; the page divides by it.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Route> routes = router.table().routes();
        ObjectNode body = AdminExchanges.JSON.createObjectNode().put("time", now.toString());
        body.putObject("node").put("memberId", grid.localMemberId());
        ArrayNode members = body.putArray("members");
        for (GridMember member : grid.members()) {
            members.addObject().put("id", member.id()).put("address", member.address()).put("local", member.local());
        }
        ArrayNode routeArray = body.putArray("routes");
        routes.forEach(route -> RouteSummary.describe(route.config(), routeArray.addObject()));
        services(routes, now, body.putArray("services"));
        ArrayNode breakerArray = body.putArray("breakers");
        breakers.all().stream().sorted(Comparator.comparing(Breaker::name)).forEach(breaker -> breakerArray.addObject()
                .put("name", breaker.name())
                .put("state", breaker.state())
                .put("failureRate", breaker.failureRate()));
        requests(routes, body.putArray("requests"));
        return body;
    }

    /** Registered services and those routes name, each with its instances as this node judges them now. */
    private void services(List<Route> routes, Instant now, ArrayNode out) {
        ServiceRegistry registry = grid.registry();
        Map<String, List<InstanceState>> services = new TreeMap<>(registry.services());
        routes.forEach(route -> RouteSummary.services(route.config()).forEach(name -> services.putIfAbsent(name, List.of())));
        services.forEach((name, states) -> {
            ObjectNode service = out.addObject().put("name", name);
            ArrayNode instances = service.putArray("instances");
            states.stream().sorted(Comparator.comparing(state -> state.instance().id()))
                    .forEach(state -> instance(registry, state, now, instances.addObject()));
        });
    }

    private static void instance(ServiceRegistry registry, InstanceState state, Instant now, ObjectNode out) {
        ServiceInstance instance = state.instance();
        Instant ejectedUntil = registry.ejectedUntil(instance.service(), instance.id());
        out.put("id", instance.id())
                .put("scheme", instance.scheme())
                .put("host", instance.host())
                .put("port", instance.port())
                .put("weight", instance.weight());
        instance.zone().ifPresent(zone -> out.put("zone", zone));
        String health = RegistryHandlers.health(state, ejectedUntil, now);
        out.put("state", health);
        if (health.equals("ejected")) {
            out.put("ejectedUntil", ejectedUntil.toString());
        }
        out.put("lastHeartbeat", state.lastHeartbeat().toString());
    }

    /** Every route's count (0 before its first request), then those of routes no longer in force and of no route. */
    private void requests(List<Route> routes, ArrayNode out) {
        Map<String, Long> counts = new TreeMap<>(metrics.requestsByRoute());
        for (Route route : routes) {
            Long count = counts.remove(route.id());
            out.addObject().put("route", route.id()).put("count", count == null ? 0 : count);
        }
        counts.forEach((route, count) -> out.addObject().put("route", route).put("count", count));
    }
}
