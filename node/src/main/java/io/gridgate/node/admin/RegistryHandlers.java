package io.gridgate.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.InstanceState;
import io.gridgate.cluster.RegisterOutcome;
import io.gridgate.cluster.ServiceInstance;
import io.gridgate.cluster.ServiceRegistry;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * The heartbeat endpoint on the admin port: services register, renew and deregister themselves,
 * and list what is registered, with the registration token as a bearer token. Operators read the
 * registry and remove an instance through the same code behind the admin token
 * ({@link #forOperators}), so a service's credential never has to be handed to a person.
 */
public final class RegistryHandlers {

    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final ObjectMapper JSON = AdminExchanges.JSON;

    private final ServiceRegistry registry;
    private final Optional<String> token;
    private final Clock clock;
    private final Reason whenOff;
    private final String realm;

    /** The services' endpoints, behind the registration token. */
    public RegistryHandlers(ServiceRegistry registry, Optional<String> token, Clock clock) {
        this(registry, token, clock, Reason.REGISTRATION_DISABLED, "gridgate-registry");
    }

    private RegistryHandlers(ServiceRegistry registry, Optional<String> token, Clock clock, Reason whenOff, String realm) {
        this.registry = registry;
        this.token = token;
        this.clock = clock;
        this.whenOff = whenOff;
        this.realm = realm;
    }

    /** The same reads and removal for operators, behind the admin token and off without one. */
    RegistryHandlers forOperators(Optional<String> adminToken) {
        return new RegistryHandlers(registry, adminToken, clock, Reason.ADMIN_DISABLED, "gridgate-admin");
    }

    /** {@code PUT /registry/services/{service}/instances/{instance}}: 201 when new, 200 when renewed. */
    public HttpHandler register() {
        return authorized(exchange -> {
            String service = pathParameter(exchange, "service");
            String id = pathParameter(exchange, "instance");
            if (!validIds(exchange, service, id)) {
                return;
            }
            AdminExchanges.receiveAtMost(exchange, "a registration", MAX_BODY_BYTES,
                    (ex, bytes) -> registerBody(ex, service, id, bytes));
        });
    }

    private void registerBody(HttpServerExchange exchange, String service, String id, byte[] bytes) {
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            AdminExchanges.reject(exchange, Reason.INVALID_REGISTRATION, "the body is not JSON",
                    List.of(new FieldError("", firstLine(e), "a JSON object")));
            return;
        }
        RegistrationRequest.Result result = RegistrationRequest.parse(service, id, body);
        if (result.instance() == null) {
            AdminExchanges.reject(exchange, Reason.INVALID_REGISTRATION,
                    result.errors().size() + " problem(s) in the registration; nothing was stored", result.errors());
            return;
        }
        respond(exchange, registry.register(result.instance()), outcome -> {
            exchange.setStatusCode(outcome == RegisterOutcome.CREATED ? StatusCodes.CREATED : StatusCodes.OK);
            ObjectNode reply = JSON.createObjectNode().put("outcome", outcome.name().toLowerCase());
            reply.set("instance", describe(result.instance(), null));
            return reply;
        });
    }

    /** {@code DELETE /registry/services/{service}/instances/{instance}}: 204, or 404 if unknown. */
    public HttpHandler deregister() {
        return authorized(exchange -> {
            String service = pathParameter(exchange, "service");
            String id = pathParameter(exchange, "instance");
            if (validIds(exchange, service, id)) {
                respond(exchange, registry.deregister(service, id), removed -> {
                    if (!removed) {
                        LocalReply.send(exchange, Reason.INSTANCE_NOT_FOUND, "no instance " + id + " of service " + service);
                        return null;
                    }
                    exchange.setStatusCode(StatusCodes.NO_CONTENT);
                    return null;
                });
            }
        });
    }

    /** {@code GET /registry/services}: every service with its instances, ages and heartbeats. */
    public HttpHandler listAll() {
        return authorized(exchange -> {
            ObjectNode services = JSON.createObjectNode();
            new TreeMap<>(registry.services()).forEach((service, states) -> services.set(service, describe(states)));
            send(exchange, JSON.createObjectNode().set("services", services));
        });
    }

    /** {@code GET /registry/services/{service}}: one service's instances; 404 when none is registered. */
    public HttpHandler listService() {
        return authorized(exchange -> {
            String service = pathParameter(exchange, "service");
            List<InstanceState> states = registry.instances(service);
            if (states.isEmpty()) {
                LocalReply.send(exchange, Reason.SERVICE_NOT_FOUND, "no instance of service " + service + " is registered");
                return;
            }
            send(exchange, JSON.createObjectNode().put("service", service).set("instances", describe(states)));
        });
    }

    private HttpHandler authorized(HttpHandler next) {
        return AdminExchanges.requireBearer(token, whenOff, realm, next);
    }

    private static boolean validIds(HttpServerExchange exchange, String service, String id) {
        if (!RegistrationRequest.SERVICE.matcher(service).matches()) {
            AdminExchanges.reject(exchange, Reason.INVALID_REGISTRATION, "bad service name",
                    List.of(new FieldError("service", "\"" + service + "\"", "a name matching " + RegistrationRequest.SERVICE)));
            return false;
        }
        if (!RegistrationRequest.INSTANCE.matcher(id).matches()) {
            AdminExchanges.reject(exchange, Reason.INVALID_REGISTRATION, "bad instance id",
                    List.of(new FieldError("instance", "\"" + id + "\"", "an id matching " + RegistrationRequest.INSTANCE)));
            return false;
        }
        return true;
    }

    private static <T> void respond(HttpServerExchange exchange, CompletionStage<T> stage, AdminExchanges.Reply<T> reply) {
        AdminExchanges.respond(exchange, stage, Reason.REGISTRY_UNAVAILABLE, reply);
    }

    private static void send(HttpServerExchange exchange, JsonNode body) throws JsonProcessingException {
        AdminExchanges.send(exchange, body);
    }

    private ArrayNode describe(List<InstanceState> states) {
        ArrayNode instances = JSON.createArrayNode();
        for (InstanceState state : states) {
            instances.add(describe(state.instance(), state));
        }
        return instances;
    }

    private ObjectNode describe(ServiceInstance instance, InstanceState state) {
        ObjectNode node = JSON.createObjectNode()
                .put("id", instance.id())
                .put("scheme", instance.scheme())
                .put("host", instance.host())
                .put("port", instance.port())
                .put("weight", instance.weight())
                .put("zone", instance.zone().orElse(null))
                .put("ttlSeconds", instance.ttl().toSeconds());
        ObjectNode metadata = node.putObject("metadata");
        instance.metadata().forEach(metadata::put);
        if (state != null) {
            Instant now = clock.instant();
            Instant ejectedUntil = registry.ejectedUntil(instance.service(), instance.id());
            node.put("registeredAt", state.registeredAt().toString())
                    .put("lastHeartbeat", state.lastHeartbeat().toString())
                    .put("ageSeconds", Duration.between(state.registeredAt(), now).toSeconds())
                    .put("secondsSinceHeartbeat", Duration.between(state.lastHeartbeat(), now).toSeconds())
                    .put("live", state.isLive(now))
                    .put("state", health(state, ejectedUntil, now))
                    .put("ejectedUntil", ejectedUntil == null ? null : ejectedUntil.toString());
        }
        return node;
    }

    /**
     * Whether routing sends the instance traffic now, in the order ServiceUpstream applies: past its
     * heartbeat deadline ({@code expired}) first, then {@code ejected}, else {@code healthy}.
     */
    static String health(InstanceState state, Instant ejectedUntil, Instant now) {
        if (!state.isLive(now)) {
            return "expired";
        }
        return ejectedUntil != null ? "ejected" : "healthy";
    }

    private static String pathParameter(HttpServerExchange exchange, String name) {
        return AdminExchanges.pathParameter(exchange, name);
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
