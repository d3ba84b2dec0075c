package io.gridgate.cluster.internal;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.gridgate.cluster.InstanceState;
import io.gridgate.cluster.RegisterOutcome;
import io.gridgate.cluster.ServiceInstance;
import io.gridgate.cluster.ServiceRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The registry in three maps. {@code gridgate.registry} holds each instance's settings and fires
 * events only when they change; {@code gridgate.heartbeats} holds heartbeat times, written on every
 * renewal but listened to by no one, and read by each node in one batch per sync interval;
 * {@code gridgate.ejections} holds shared ejections, with events, since they are rare.
 */
final class HazelcastServiceRegistry implements ServiceRegistry, AutoCloseable {

    static final String REGISTRY = "gridgate.registry";
    static final String HEARTBEATS = "gridgate.heartbeats";
    static final String EJECTIONS = "gridgate.ejections";
    private static final Logger LOG = Logger.getLogger(HazelcastServiceRegistry.class.getName());
    private static final Duration FULL_RESYNC = Duration.ofSeconds(30);
    /** A dead instance stays listed (out of rotation) this long past its deadline, for operators to see. */
    private static final Duration MIN_CLEANUP_GRACE = Duration.ofSeconds(60);

    private final HazelcastInstance hazelcast;
    private final IMap<String, InstanceRecord> registry;
    private final IMap<String, Long> heartbeats;
    private final IMap<String, Long> ejections;
    private final Clock clock;
    private final Duration syncInterval;
    private final Map<String, InstanceRecord> records = new ConcurrentHashMap<>();
    private final Map<String, Long> lastHeartbeats = new ConcurrentHashMap<>();
    private final Map<String, Long> ejectedUntil = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final UUID recordListenerId;
    private final UUID ejectionListenerId;
    private final UUID membershipListenerId;
    private volatile Map<String, List<InstanceState>> view = Map.of();

    HazelcastServiceRegistry(HazelcastInstance hazelcast, Clock clock, Duration syncInterval) {
        this.hazelcast = hazelcast;
        this.registry = hazelcast.getMap(REGISTRY);
        this.heartbeats = hazelcast.getMap(HEARTBEATS);
        this.ejections = hazelcast.getMap(EJECTIONS);
        this.clock = clock;
        this.syncInterval = syncInterval;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gridgate-registry-sync");
            thread.setDaemon(true);
            return thread;
        });
        recordListenerId = registry.addEntryListener(new RecordListener(), true);
        ejectionListenerId = ejections.addEntryListener(new EjectionListener(), true);
        membershipListenerId = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                scheduler.execute(HazelcastServiceRegistry.this::resync);
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                // Events in flight to or from the lost member may be gone; read the grid again.
                scheduler.execute(HazelcastServiceRegistry.this::resync);
            }
        });
        resync();
        long sync = syncInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::syncHeartbeats, sync, sync, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::resync, FULL_RESYNC.toMillis(), FULL_RESYNC.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<RegisterOutcome> register(ServiceInstance instance) {
        String key = instance.key();
        long now = clock.millis();
        long heartbeatTtl = instance.ttl().multipliedBy(2).plus(MIN_CLEANUP_GRACE).toSeconds();
        return Futures.direct(registry.submitToKey(key, new RegisterProcessor(new InstanceRecord(instance, now, now))))
                .thenCompose(outcome -> Futures.direct(heartbeats.setAsync(key, now, heartbeatTtl, TimeUnit.SECONDS))
                        .thenApply(done -> {
                            if (lastHeartbeats.merge(key, now, Math::max) == now && outcome == RegisterOutcome.RENEWED) {
                                rebuild();
                            }
                            return outcome;
                        }));
    }

    @Override
    public CompletionStage<Boolean> deregister(String service, String id) {
        String key = ServiceInstance.key(service, id);
        return Futures.direct(registry.removeAsync(key)).thenCompose(previous -> Futures.direct(heartbeats.deleteAsync(key))
                .thenApply(deleted -> {
                    forget(key);
                    return previous != null;
                }));
    }

    @Override
    public List<InstanceState> instances(String service) {
        return view.getOrDefault(service, List.of());
    }

    @Override
    public Map<String, List<InstanceState>> services() {
        return view;
    }

    @Override
    public CompletionStage<Void> eject(String service, String id, Instant until, String reason) {
        long seconds = Math.max(1, Duration.between(clock.instant(), until).toSeconds() + 1);
        LOG.info(() -> "ejecting " + service + "/" + id + " until " + until + ": " + reason);
        return Futures.direct(ejections.setAsync(ServiceInstance.key(service, id), until.toEpochMilli(), seconds,
                TimeUnit.SECONDS));
    }

    @Override
    public CompletionStage<Void> readmit(String service, String id) {
        return Futures.direct(ejections.deleteAsync(ServiceInstance.key(service, id))).thenApply(deleted -> null);
    }

    @Override
    public Instant ejectedUntil(String service, String id) {
        Long until = ejectedUntil.get(ServiceInstance.key(service, id));
        return until == null || until <= clock.millis() ? null : Instant.ofEpochMilli(until);
    }

    @Override
    public boolean isProbedHere(String service, String id) {
        var owner = hazelcast.getPartitionService().getPartition(ServiceInstance.key(service, id)).getOwner();
        return owner != null && owner.localMember();
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public Duration syncInterval() {
        return syncInterval;
    }

    /** Reads the whole registry again: at start, after membership changes, and every 30 s. */
    void resync() {
        try {
            Map<String, InstanceRecord> all = new HashMap<>(registry);
            records.keySet().retainAll(all.keySet());
            records.putAll(all);
            lastHeartbeats.keySet().retainAll(all.keySet());
            all.forEach((key, record) -> lastHeartbeats.merge(key, record.writtenAtMillis, Math::max));
            Map<String, Long> ejected = new HashMap<>(ejections);
            ejectedUntil.keySet().retainAll(ejected.keySet());
            ejectedUntil.putAll(ejected);
            syncHeartbeats();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "registry resync failed; retrying at the next interval", e);
        }
    }

    /** One batched read of the heartbeat times of every instance this node knows. */
    void syncHeartbeats() {
        try {
            Set<String> keys = new HashSet<>(records.keySet());
            if (!keys.isEmpty()) {
                heartbeats.getAll(keys).forEach((key, millis) -> lastHeartbeats.merge(key, millis, Math::max));
                removeLongDeadOwnedHere();
            }
            rebuild();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "heartbeat sync failed; liveness is judged on older heartbeats until it succeeds", e);
        }
    }

    /** The partition owner deletes an instance that has been dead long enough; every node then drops it. */
    private void removeLongDeadOwnedHere() {
        long now = clock.millis();
        for (String key : registry.localKeySet()) {
            InstanceRecord record = records.get(key);
            Long last = lastHeartbeats.get(key);
            if (record != null && last != null
                    && now > last + record.ttlMillis + Math.max(record.ttlMillis, MIN_CLEANUP_GRACE.toMillis())) {
                registry.removeAsync(key);
            }
        }
    }

    private void forget(String key) {
        records.remove(key);
        lastHeartbeats.remove(key);
        rebuild();
    }

    /** Publishes a new immutable view; readers never see one half-built. */
    private synchronized void rebuild() {
        Map<String, List<InstanceState>> next = new HashMap<>();
        records.forEach((key, record) -> next.computeIfAbsent(record.service, s -> new ArrayList<>())
                .add(record.state(lastHeartbeats.getOrDefault(key, record.writtenAtMillis))));
        next.replaceAll((service, states) -> {
            states.sort(Comparator.comparing(state -> state.instance().id()));
            return List.copyOf(states);
        });
        view = Map.copyOf(next);
        listeners.forEach(Runnable::run);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (hazelcast.getLifecycleService().isRunning()) {
            registry.removeEntryListener(recordListenerId);
            ejections.removeEntryListener(ejectionListenerId);
            hazelcast.getCluster().removeMembershipListener(membershipListenerId);
        }
    }

    private final class RecordListener implements EntryAddedListener<String, InstanceRecord>,
            EntryUpdatedListener<String, InstanceRecord>, EntryRemovedListener<String, InstanceRecord>,
            EntryExpiredListener<String, InstanceRecord>, EntryEvictedListener<String, InstanceRecord> {

        @Override
        public void entryAdded(EntryEvent<String, InstanceRecord> event) {
            learn(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, InstanceRecord> event) {
            learn(event.getKey(), event.getValue());
        }

        private void learn(String key, InstanceRecord record) {
            records.put(key, record);
            lastHeartbeats.merge(key, record.writtenAtMillis, Math::max);
            rebuild();
        }

        @Override
        public void entryRemoved(EntryEvent<String, InstanceRecord> event) {
            forget(event.getKey());
        }

        @Override
        public void entryExpired(EntryEvent<String, InstanceRecord> event) {
            forget(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, InstanceRecord> event) {
            forget(event.getKey());
        }
    }

    private final class EjectionListener implements EntryAddedListener<String, Long>, EntryUpdatedListener<String, Long>,
            EntryRemovedListener<String, Long>, EntryExpiredListener<String, Long> {

        @Override
        public void entryAdded(EntryEvent<String, Long> event) {
            ejectedUntil.put(event.getKey(), event.getValue());
            rebuildQuietly();
        }

        @Override
        public void entryUpdated(EntryEvent<String, Long> event) {
            entryAdded(event);
        }

        @Override
        public void entryRemoved(EntryEvent<String, Long> event) {
            ejectedUntil.remove(event.getKey());
            rebuildQuietly();
        }

        @Override
        public void entryExpired(EntryEvent<String, Long> event) {
            entryRemoved(event);
        }

        private void rebuildQuietly() {
            listeners.forEach(Runnable::run);
        }
    }
}
