package io.gridgate.node.upstream;

import io.gridgate.cluster.InstanceState;
import io.gridgate.cluster.ServiceInstance;
import io.gridgate.cluster.ServiceRegistry;
import io.gridgate.node.config.HealthCheckConfig;
import io.gridgate.node.config.ServiceConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Active health checks. Each instance is probed by one node only, the owner of its registry
 * partition, so N gateway nodes do not multiply the probe traffic by N. A failing instance is
 * ejected through the registry (every node skips it) and readmitted after enough passes.
 */
public final class HealthProber implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HealthProber.class.getName());

    private final ServiceRegistry registry;
    private final Clock clock;
    private final HttpClient client;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Streak> streaks = new ConcurrentHashMap<>();

    public HealthProber(ServiceRegistry registry, Collection<ServiceConfig> services, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gridgate-health-prober");
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(scheduler)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (ServiceConfig service : services) {
            service.healthCheck().ifPresent(check -> {
                long interval = check.interval().toMillis();
                scheduler.scheduleWithFixedDelay(() -> probeAll(service.name(), check), interval, interval, TimeUnit.MILLISECONDS);
            });
        }
    }

    /** Consecutive passes or failures of one instance, as judged here. */
    private static final class Streak {
        int passes;
        int failures;
        boolean unhealthy;
    }

    private void probeAll(String service, HealthCheckConfig check) {
        for (InstanceState state : registry.instances(service)) {
            ServiceInstance instance = state.instance();
            if (state.isLive(clock.instant()) && registry.isProbedHere(service, instance.id())) {
                probe(instance, check);
            }
        }
    }

    private void probe(ServiceInstance instance, HealthCheckConfig check) {
        URI uri = URI.create(instance.scheme() + "://" + instance.authority() + check.path());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(check.timeout()).GET()
                .header("User-Agent", "gridgate-health-check").build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> record(instance, check,
                        error == null && response.statusCode() >= 200 && response.statusCode() < 300));
    }

    private synchronized void record(ServiceInstance instance, HealthCheckConfig check, boolean passed) {
        Streak streak = streaks.computeIfAbsent(instance.key(), key -> new Streak());
        if (passed) {
            streak.failures = 0;
            streak.passes++;
            if (streak.unhealthy && streak.passes >= check.healthyThreshold()) {
                streak.unhealthy = false;
                LOG.info(() -> instance.key() + " passed " + check.healthyThreshold() + " health checks; readmitted");
                registry.readmit(instance.service(), instance.id());
            }
            return;
        }
        streak.passes = 0;
        streak.failures++;
        if (streak.failures >= check.unhealthyThreshold()) {
            streak.unhealthy = true;
            // Renewed by every failed probe; lapses by itself if this node stops probing (it left, say).
            Duration hold = check.interval().multipliedBy(2).plus(check.timeout());
            registry.eject(instance.service(), instance.id(), clock.instant().plus(hold),
                    streak.failures + " failed health checks of " + check.path());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
