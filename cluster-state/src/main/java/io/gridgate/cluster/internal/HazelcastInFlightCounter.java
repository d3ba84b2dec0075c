package io.gridgate.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gridgate.cluster.InFlightCounter;

import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/** In-flight counts in the {@code gridgate.inflight} map; the oldest member purges a departed member's share. */
final class HazelcastInFlightCounter implements InFlightCounter, AutoCloseable {

    static final String IN_FLIGHT = "gridgate.inflight";
    private static final Logger LOG = Logger.getLogger(HazelcastInFlightCounter.class.getName());

    private final HazelcastInstance hazelcast;
    private final IMap<String, InFlight> counts;
    private final UUID self;
    private final UUID listener;
    private final ExecutorService purger = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gridgate-inflight-purge");
        thread.setDaemon(true);
        return thread;
    });

    private final OperationTimer timer;

    HazelcastInFlightCounter(HazelcastInstance hazelcast, OperationTimer timer) {
        this.timer = timer;
        this.hazelcast = hazelcast;
        this.counts = hazelcast.getMap(IN_FLIGHT);
        this.self = hazelcast.getCluster().getLocalMember().getUuid();
        this.listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                purger.execute(() -> forget(event.getMember()));
            }
        });
    }

    @Override
    public CompletionStage<Boolean> tryEnter(String key, int max) {
        return timer.time("in_flight.enter", counts.submitToKey(key, new InFlight.Enter(self, max)));
    }

    @Override
    public CompletionStage<Void> release(String key) {
        return timer.time("in_flight.release", counts.submitToKey(key, new InFlight.Release(self)));
    }

    /** Only the oldest member purges, so the cluster does the work once, not once per member. */
    private void forget(Member departed) {
        try {
            Member oldest = hazelcast.getCluster().getMembers().iterator().next();
            if (oldest.localMember()) {
                counts.executeOnEntries(new InFlight.Forget(departed.getUuid()));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not drop the in-flight counts of departed member " + departed, e);
        }
    }

    @Override
    public void close() {
        purger.shutdownNow();
        if (hazelcast.getLifecycleService().isRunning()) {
            hazelcast.getCluster().removeMembershipListener(listener);
        }
    }
}
