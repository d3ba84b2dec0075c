package io.gridgate.node.upstream;

import io.gridgate.cluster.InstanceState;
import io.gridgate.cluster.ServiceInstance;
import io.gridgate.cluster.ServiceRegistry;
import io.gridgate.node.balancer.Candidate;
import io.gridgate.node.balancer.LoadBalancer;
import io.gridgate.node.balancer.LoadBalancers;
import io.gridgate.node.config.LoadBalancerConfig;
import io.gridgate.node.config.PoolConfig;
import io.gridgate.node.resilience.Breaker;
import io.gridgate.node.resilience.RetryBudget;
import io.undertow.server.HttpServerExchange;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The instances of a registered service, as this node's registry view shows them: live (heartbeat
 * within TTL), not ejected, preferably in this node's zone. The candidate set and its balancer are
 * built once and reused until the view changes or the earliest heartbeat deadline or ejection end
 * passes, so a request pays for one volatile read and one pick.
 */
final class ServiceUpstream implements Upstream {

    private final String service;
    private final ServiceRegistry registry;
    private final Function<URI, Endpoint> endpoints;
    private final LoadBalancerConfig balancing;
    private final Optional<String> zone;
    private final Clock clock;
    private final OutlierDetector outliers;
    private final Function<HttpServerExchange, String> hashKey;
    private final Breaker breaker;
    private final RetryBudget retryBudget;
    private volatile Snapshot snapshot;
    /** The last snapshot built, kept when a registry change clears {@code snapshot}. */
    private volatile Snapshot lastBuilt;

    ServiceUpstream(String service, ServiceRegistry registry, Function<URI, Endpoint> endpoints,
                    LoadBalancerConfig balancing, Optional<String> zone, Clock clock, OutlierDetector outliers,
                    Breaker breaker, RetryBudget retryBudget) {
        this.service = service;
        this.registry = registry;
        this.endpoints = endpoints;
        this.balancing = balancing;
        this.zone = zone;
        this.clock = clock;
        this.outliers = outliers;
        this.hashKey = HashKeys.of(balancing.hashOn());
        this.breaker = breaker;
        this.retryBudget = retryBudget;
    }

    /** The registry's view changed: the next request rebuilds the candidate set. */
    void registryChanged() {
        snapshot = null;
    }

    /** What a snapshot was built from, and until when it stays right. */
    private record Snapshot(LoadBalancer<Endpoint> balancer, Map<Endpoint, String> ids, int instances,
                            int ejected, long validUntil) {
    }

    @Override
    public Endpoint choose(HttpServerExchange exchange) {
        Snapshot current = current();
        return current.balancer == null ? null : current.balancer.pick(hashKey.apply(exchange)).target();
    }

    /**
     * Walks the candidates from the last tried endpoint to the first untried one, without asking
     * the balancer: a pick would move a round-robin position that first tries share, and so send
     * the next request's first try to the same bad instance.
     */
    @Override
    public Endpoint choose(HttpServerExchange exchange, List<Endpoint> tried) {
        Snapshot current = current();
        if (current.balancer == null) {
            return null;
        }
        List<Candidate<Endpoint>> candidates = current.balancer.candidates();
        Endpoint last = tried.isEmpty() ? null : tried.get(tried.size() - 1);
        int start = 0;
        while (start < candidates.size() && candidates.get(start).target() != last) {
            start++;
        }
        for (int i = 1; i <= candidates.size(); i++) {
            Endpoint next = candidates.get((start + i) % candidates.size()).target();
            if (!tried.contains(next)) {
                return next;
            }
        }
        return choose(exchange);
    }

    private Snapshot current() {
        Snapshot current = snapshot;
        if (current == null || clock.millis() >= current.validUntil) {
            current = build(lastBuilt);
            lastBuilt = current;
            snapshot = current;
        }
        return current;
    }

    /**
     * Heartbeats alone change deadlines, not the candidate set: then the previous balancer is kept,
     * so round-robin positions and hash rings survive the registry's periodic refreshes.
     */
    private Snapshot build(Snapshot previous) {
        long now = clock.millis();
        long validUntil = Long.MAX_VALUE;
        List<InstanceState> states = registry.instances(service);
        List<Candidate<Endpoint>> candidates = new ArrayList<>(states.size());
        Map<Endpoint, String> ids = new IdentityHashMap<>();
        int ejected = 0;
        for (InstanceState state : states) {
            long deadline = state.deadline().toEpochMilli();
            if (now >= deadline) {
                continue;
            }
            validUntil = Math.min(validUntil, deadline);
            ServiceInstance instance = state.instance();
            Instant ejectedUntil = registry.ejectedUntil(service, instance.id());
            if (ejectedUntil != null) {
                ejected++;
                validUntil = Math.min(validUntil, ejectedUntil.toEpochMilli());
                continue;
            }
            Endpoint endpoint = endpoints.apply(uri(instance));
            ids.put(endpoint, instance.id());
            candidates.add(new Candidate<>(instance.id(), instance.weight(), instance.zone().orElse(null),
                    endpoint, endpoint::inFlight));
        }
        if (balancing.zoneAware() && zone.isPresent()) {
            candidates = LoadBalancers.preferZone(candidates, zone.get());
        }
        LoadBalancer<Endpoint> balancer;
        if (candidates.isEmpty()) {
            balancer = null;
        } else if (previous != null && previous.balancer != null && sameCandidates(previous.balancer.candidates(), candidates)) {
            balancer = previous.balancer;
        } else {
            balancer = LoadBalancers.create(balancing.strategy(), candidates);
        }
        return new Snapshot(balancer, ids, ids.size() + ejected, ejected, validUntil);
    }

    /** Where an instance is reached; also how {@link Upstreams} tells which endpoints the view still lists. */
    static URI uri(ServiceInstance instance) {
        return URI.create(instance.scheme() + "://" + instance.authority());
    }

    private static boolean sameCandidates(List<Candidate<Endpoint>> a, List<Candidate<Endpoint>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Candidate<Endpoint> x = a.get(i);
            Candidate<Endpoint> y = b.get(i);
            if (!x.id().equals(y.id()) || x.weight() != y.weight() || x.target() != y.target()
                    || !Objects.equals(x.zone(), y.zone())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String name() {
        return "service:" + service;
    }

    @Override
    public Breaker breaker() {
        return breaker;
    }

    @Override
    public RetryBudget retryBudget() {
        return retryBudget;
    }

    @Override
    public void report(Endpoint endpoint, boolean failed) {
        Snapshot current = lastBuilt;
        String id = current == null ? null : current.ids.get(endpoint);
        if (id != null) {
            outliers.report(id, failed, () -> current.instances, () -> current.ejected);
        }
    }
}
