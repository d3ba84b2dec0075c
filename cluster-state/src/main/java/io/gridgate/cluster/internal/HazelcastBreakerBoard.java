package io.gridgate.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.gridgate.cluster.BreakerBoard;
import io.gridgate.cluster.BreakerNotice;
import io.gridgate.cluster.BreakerView;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Breaker trips in the {@code gridgate.breakers} map, changed only by {@link BreakerProcessor}s;
 * every member listens to it and passes on the events whose version grew. Members' own breaker
 * states sit in {@code gridgate.breaker-views}, and the oldest member drops those of members that left.
 */
final class HazelcastBreakerBoard implements BreakerBoard, AutoCloseable {

    static final String BREAKERS = "gridgate.breakers";
    static final String VIEWS = "gridgate.breaker-views";
    private static final Logger LOG = Logger.getLogger(HazelcastBreakerBoard.class.getName());

    private final HazelcastInstance hazelcast;
    private final IMap<String, BreakerState> breakers;
    private final IMap<String, ReportedView> views;
    private final String self;
    private final List<Consumer<BreakerNotice>> subscribers = new CopyOnWriteArrayList<>();
    /** Runs the blocking reads and purges, so that callers on I/O threads never wait on the grid. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gridgate-breakers");
        thread.setDaemon(true);
        return thread;
    });
    private final UUID entryListener;
    private final UUID membershipListener;

    HazelcastBreakerBoard(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.breakers = hazelcast.getMap(BREAKERS);
        this.views = hazelcast.getMap(VIEWS);
        this.self = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.entryListener = breakers.addEntryListener(new ChangeListener(), true);
        this.membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                worker.execute(HazelcastBreakerBoard.this::purgeDeparted);
            }
        });
    }

    @Override
    public CompletionStage<Void> trip(String breaker, Instant openUntil, int quorum) {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(openUntil, "openUntil");
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum: " + quorum + " (expected: >= 1)");
        }
        return Futures.direct(breakers.submitToKey(breaker,
                BreakerProcessor.trip(self, BreakerState.millis(openUntil), quorum)));
    }

    @Override
    public CompletionStage<Void> forceOpen(String breaker) {
        return Futures.direct(breakers.submitToKey(Objects.requireNonNull(breaker, "breaker"),
                BreakerProcessor.forceOpen(self)));
    }

    @Override
    public CompletionStage<Void> forceClose(String breaker) {
        return Futures.direct(breakers.submitToKey(Objects.requireNonNull(breaker, "breaker"),
                BreakerProcessor.forceClose(self)));
    }

    @Override
    public AutoCloseable subscribe(Consumer<BreakerNotice> listener) {
        // A wrapper of its own, so each handle removes its own subscription even if a listener subscribed twice.
        Consumer<BreakerNotice> subscription = Objects.requireNonNull(listener, "listener")::accept;
        subscribers.add(subscription);
        return () -> subscribers.remove(subscription);
    }

    /** Reads every entry: the map holds one small entry per upstream, so this stays cheap. */
    @Override
    public Map<String, BreakerNotice> notices() {
        Map<String, BreakerNotice> notices = new HashMap<>();
        for (Map.Entry<String, BreakerState> entry : breakers.entrySet()) {
            if (entry.getValue().hasNotice()) {
                notices.put(entry.getKey(), entry.getValue().notice(entry.getKey()));
            }
        }
        return Map.copyOf(notices);
    }

    @Override
    public CompletionStage<Void> report(String breaker, String state, Instant since) {
        ReportedView view = new ReportedView(self, Objects.requireNonNull(breaker, "breaker"),
                Objects.requireNonNull(state, "state"), Objects.requireNonNull(since, "since"));
        return Futures.direct(views.setAsync(ReportedView.key(self, breaker), view));
    }

    @Override
    public CompletionStage<List<BreakerView>> views() {
        return CompletableFuture.supplyAsync(() -> views.values().stream()
                .map(ReportedView::view)
                .sorted(Comparator.comparing(BreakerView::member).thenComparing(BreakerView::breaker))
                .toList(), worker);
    }

    /**
     * Only the oldest member purges, so the cluster does it once. It drops the views of every member
     * that is gone, not only the one whose departure woke it, which also catches a member that left
     * while the previous oldest was leaving too.
     */
    private void purgeDeparted() {
        try {
            Set<Member> members = hazelcast.getCluster().getMembers();
            if (members.iterator().next().localMember()) {
                Set<String> present = members.stream().map(member -> member.getUuid().toString())
                        .collect(Collectors.toSet());
                views.removeAll(new ReportedView.ReportedByAbsent(present));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not drop the breaker views of departed members", e);
        }
    }

    private void publish(BreakerNotice notice) {
        for (Consumer<BreakerNotice> subscriber : subscribers) {
            try {
                subscriber.accept(notice);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a breaker subscriber failed on " + notice, e);
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        if (hazelcast.getLifecycleService().isRunning()) {
            breakers.removeEntryListener(entryListener);
            hazelcast.getCluster().removeMembershipListener(membershipListener);
        }
    }

    /**
     * An entry processor that only records a vote still fires UPDATED; the version tells a change
     * from a vote. An entry created by a vote alone has version 0 and tells nothing either.
     */
    private final class ChangeListener implements EntryAddedListener<String, BreakerState>,
            EntryUpdatedListener<String, BreakerState> {

        @Override
        public void entryAdded(EntryEvent<String, BreakerState> event) {
            changed(event.getKey(), null, event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, BreakerState> event) {
            changed(event.getKey(), event.getOldValue(), event.getValue());
        }

        private void changed(String breaker, BreakerState before, BreakerState after) {
            long previous = before == null ? 0 : before.version();
            if (after != null && after.version() > previous) {
                publish(after.notice(breaker));
            }
        }
    }
}
