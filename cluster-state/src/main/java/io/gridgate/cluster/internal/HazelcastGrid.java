package io.gridgate.cluster.internal;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.gridgate.cluster.ApiKeyStore;
import io.gridgate.cluster.BreakerBoard;
import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.GridMember;
import io.gridgate.cluster.GridSettings;
import io.gridgate.cluster.InFlightCounter;
import io.gridgate.cluster.RateLimiter;
import io.gridgate.cluster.GridOperationObserver;
import io.gridgate.cluster.ResponseCache;
import io.gridgate.cluster.ServiceRegistry;

import java.time.Clock;
import java.time.Duration;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** A {@link Grid} backed by an embedded Hazelcast member. */
public final class HazelcastGrid implements Grid {

    /** How stale a node's knowledge of heartbeats may be; the registry's liveness promise adds it to the TTL. */
    static final Duration REGISTRY_SYNC = Duration.ofMillis(500);
    /** The member's clock in its user context, for entry processors that run on it as a key's owner. */
    private static final String CLOCK = "gridgate.clock";

    private final HazelcastInstance hazelcast;
    private final HazelcastServiceRegistry registry;
    private final HazelcastRateLimiter rateLimiter;
    private final HazelcastInFlightCounter inFlight;
    private final HazelcastBreakerBoard breakers;
    private final HazelcastApiKeyStore apiKeys;
    private final HazelcastResponseCache cache;
    private final HazelcastConfigStore config;
    private final OperationTimer timer = new OperationTimer();

    /** Wraps a member that is already running; tests use it with mock-network members and their own clock. */
    public HazelcastGrid(HazelcastInstance hazelcast, Clock clock) {
        this.hazelcast = Objects.requireNonNull(hazelcast, "hazelcast");
        hazelcast.getUserContext().put(CLOCK, Objects.requireNonNull(clock, "clock"));
        this.registry = new HazelcastServiceRegistry(hazelcast, clock, REGISTRY_SYNC);
        this.rateLimiter = new HazelcastRateLimiter(hazelcast, timer);
        this.inFlight = new HazelcastInFlightCounter(hazelcast, timer);
        this.breakers = new HazelcastBreakerBoard(hazelcast);
        this.apiKeys = new HazelcastApiKeyStore(hazelcast, timer);
        this.cache = new HazelcastResponseCache(hazelcast, clock, timer);
        this.config = new HazelcastConfigStore(hazelcast, clock);
    }

    public static HazelcastGrid start(GridSettings settings) {
        return new HazelcastGrid(Hazelcast.newHazelcastInstance(memberConfig(settings)), Clock.systemUTC());
    }

    /** The member configuration for the settings; public so tests can start it on a mock network. */
    public static Config memberConfig(GridSettings settings) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        config.getJetConfig().setEnabled(false);
        // Gridgate leaves the cluster itself, after draining traffic; Hazelcast's own hook would
        // leave before the drain and drop partitions that in-flight requests still use.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        // A lone member need not wait 5 s for peers that are not configured.
        config.setProperty("hazelcast.wait.seconds.before.join", settings.members().isEmpty()
                && settings.kubernetesServiceDns().isEmpty() ? "0" : "2");
        // The member protocol has no authentication: never listen beyond the chosen interface.
        config.setProperty("hazelcast.socket.bind.any", Boolean.toString(bindsAny(settings)));
        configureNetwork(config.getNetworkConfig(), settings);
        // Gridgate exports what it needs itself (/metrics, read from local map stats on a scrape).
        // Hazelcast's own collector walks every map, partition and thread every 5 s for JMX and
        // Management Center: a seventh of a node's CPU samples at 200 req/s.
        config.getMetricsConfig().setEnabled(false);
        // Counters are read and rewritten by entry processors on every decision: kept as objects,
        // a decision costs no deserialization of the stored value (only backups serialize it).
        for (String counters : List.of(HazelcastRateLimiter.COUNTERS, HazelcastInFlightCounter.IN_FLIGHT)) {
            config.addMapConfig(new MapConfig(counters).setInMemoryFormat(InMemoryFormat.OBJECT));
        }
        // The near cache holds whole responses: its heap is up to nearCacheEntries times the entry bound.
        config.addMapConfig(HazelcastResponseCache.cacheMapConfig(settings.cacheHeapMegabytes(),
                settings.nearCacheEntries()));
        config.addMapConfig(HazelcastResponseCache.flightsMapConfig());
        // A purge must reach every member's near cache within a second. Batched (the default), a
        // member queues invalidations per map up to 100 keys or 10 s (a remote reader saw stale
        // values for 10 s). This is a member-wide property: it changes how this member sends
        // invalidations for every near-cached map and to clients' near caches too, not just for
        // the cache (JCache has its own hazelcast.cache.* property, untouched). Only gridgate.cache has a near cache, so the cost falls on its writes: each
        // put, purge, expiry or eviction sends one invalidation message per other member at once
        // (a 10,000-entry purge sends 10,000 per member) instead of a few batched ones.
        config.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
        return config;
    }

    private static void configureNetwork(NetworkConfig network, GridSettings settings) {
        network.setPort(settings.port()).setPortAutoIncrement(false);
        if (!bindsAny(settings)) {
            network.getInterfaces().setEnabled(true).addInterface(settings.bindAddress());
        }
        network.getRestApiConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (settings.kubernetesServiceDns().isPresent()) {
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", settings.kubernetesServiceDns().get());
        } else {
            List<String> members = settings.members().isEmpty()
                    ? List.of(settings.bindAddress() + ":" + settings.port())
                    : settings.members();
            join.getTcpIpConfig().setEnabled(true).setMembers(members);
        }
    }

    private static boolean bindsAny(GridSettings settings) {
        return "0.0.0.0".equals(settings.bindAddress());
    }

    /** The clock of the member a processor runs on; the system's until its grid is wrapped. */
    static Clock clockOf(HazelcastInstance hazelcast) {
        return hazelcast.getUserContext().get(CLOCK) instanceof Clock clock ? clock : Clock.systemUTC();
    }

    /** The member itself, for this module's tests. */
    HazelcastInstance hazelcast() {
        return hazelcast;
    }

    @Override
    public InFlightCounter inFlight() {
        return inFlight;
    }

    @Override
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    @Override
    public ServiceRegistry registry() {
        return registry;
    }

    @Override
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    @Override
    public BreakerBoard breakers() {
        return breakers;
    }

    @Override
    public ResponseCache cache() {
        return cache;
    }

    @Override
    public ConfigStore config() {
        return config;
    }

    @Override
    public void observeOperations(GridOperationObserver observer) {
        timer.observe(observer);
    }

    @Override
    public boolean isJoined() {
        return hazelcast.getLifecycleService().isRunning();
    }

    @Override
    public int memberCount() {
        return isJoined() ? hazelcast.getCluster().getMembers().size() : 0;
    }

    @Override
    public AutoCloseable onMembershipChange(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        UUID id = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                listener.run();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                listener.run();
            }
        });
        return () -> {
            if (isJoined()) {
                hazelcast.getCluster().removeMembershipListener(id);
            }
        };
    }

    @Override
    public AutoCloseable onMerge(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        UUID id = hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                listener.run();
            }
        });
        return () -> hazelcast.getLifecycleService().removeLifecycleListener(id);
    }

    @Override
    public List<GridMember> members() {
        if (!isJoined()) {
            return List.of();
        }
        return hazelcast.getCluster().getMembers().stream()
                .map(member -> new GridMember(member.getUuid().toString(),
                        authority(member.getAddress()), member.localMember()))
                .toList();
    }

    private static String authority(Address address) {
        String host = address.getHost();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public String localMemberId() {
        return hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    @Override
    public void close() {
        registry.close();
        inFlight.close();
        breakers.close();
        apiKeys.close();
        cache.close();
        hazelcast.getLifecycleService().shutdown();
    }
}
