package io.gridgate.node.upstream;

import io.gridgate.cluster.ServiceRegistry;
import io.gridgate.node.config.OutlierConfig;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Passive health for one service: counts each instance's consecutive failures on this node and, at
 * the threshold, ejects it through the registry so that every node skips it. An instance ejected
 * again soon after returning stays out twice as long each time, up to 16 times the base.
 */
final class OutlierDetector {

    private static final int MAX_BACKOFF_DOUBLINGS = 4;

    private final String service;
    private final OutlierConfig config;
    private final ServiceRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> ejectionsInARow = new ConcurrentHashMap<>();

    OutlierDetector(String service, OutlierConfig config, ServiceRegistry registry, Clock clock) {
        this.service = service;
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * @param instances how many instances the service has, and {@code ejected} how many are out now,
     *     so no more than {@code maxEjectionPercent} of them are ever ejected at once
     */
    void report(String instanceId, boolean failed, IntSupplier instances, IntSupplier ejected) {
        if (config.consecutiveFailures() == 0) {
            return;
        }
        AtomicInteger count = failures.computeIfAbsent(instanceId, id -> new AtomicInteger());
        if (!failed) {
            if (count.getAndSet(0) != 0 || ejectionsInARow.containsKey(instanceId)) {
                ejectionsInARow.remove(instanceId);
            }
            return;
        }
        if (count.incrementAndGet() < config.consecutiveFailures()) {
            return;
        }
        count.set(0);
        int total = instances.getAsInt();
        if ((ejected.getAsInt() + 1) * 100 > total * config.maxEjectionPercent()) {
            return; // better an unhealthy instance than no capacity at all
        }
        int doublings = Math.min(MAX_BACKOFF_DOUBLINGS,
                ejectionsInARow.computeIfAbsent(instanceId, id -> new AtomicInteger()).getAndIncrement());
        Duration ejection = config.ejectionTime().multipliedBy(1L << doublings);
        registry.eject(service, instanceId, clock.instant().plus(ejection),
                config.consecutiveFailures() + " consecutive failures");
    }
}
