package io.gridgate.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.ConfigVersion;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The configuration history as one entry of {@code gridgate.config}, changed only by
 * {@link ConfigProcessor}s, so a version and its history move together; members' running versions
 * in {@code gridgate.config-applied}. A configuration is small and changes rarely: the whole history
 * in one entry costs nothing that matters, and buys atomic changes without the CP subsystem.
 */
final class HazelcastConfigStore implements ConfigStore {

    static final String CONFIG = "gridgate.config";
    static final String APPLIED = "gridgate.config-applied";
    static final String KEY = "history";

    private final HazelcastInstance hazelcast;
    private final IMap<String, ConfigProcessor.History> config;
    private final IMap<String, ConfigVersion> applied;
    private final Clock clock;

    HazelcastConfigStore(HazelcastInstance hazelcast, Clock clock) {
        this.hazelcast = hazelcast;
        this.config = hazelcast.getMap(CONFIG);
        this.applied = hazelcast.getMap(APPLIED);
        this.clock = clock;
    }

    @Override
    public CompletionStage<Optional<ConfigVersion>> current() {
        return Futures.direct(config.getAsync(KEY)).thenApply(history ->
                Optional.ofNullable(history).map(ConfigProcessor.History::current));
    }

    @Override
    public CompletionStage<ConfigVersion> offer(ConfigVersion candidate) {
        Objects.requireNonNull(candidate, "candidate");
        return Futures.direct(config.submitToKey(KEY, ConfigProcessor.offer(candidate)))
                .thenApply(ConfigProcessor.Result::current);
    }

    @Override
    public CompletionStage<Change> change(long basedOn, String document, String source) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(source, "source");
        return Futures.direct(config.submitToKey(KEY, ConfigProcessor.change(basedOn, document, clock.millis(), source)))
                .thenApply(result -> result.conflict()
                        ? new Conflict(result.current())
                        : new Applied(result.current(), result.created()));
    }

    @Override
    public CompletionStage<Optional<ConfigVersion>> version(long version) {
        return Futures.direct(config.getAsync(KEY)).thenApply(history -> history == null ? Optional.empty()
                : history.versions().stream().filter(v -> v.version() == version).findFirst());
    }

    @Override
    public CompletionStage<List<ConfigVersion>> history() {
        return Futures.direct(config.getAsync(KEY)).thenApply(history -> history == null ? List.of()
                : history.versions().stream().map(ConfigVersion::summary).toList());
    }

    @Override
    public AutoCloseable subscribe(Consumer<ConfigVersion> listener) {
        Objects.requireNonNull(listener, "listener");
        UUID id = config.addEntryListener(new Changes(listener), KEY, true);
        return () -> config.removeEntryListener(id);
    }

    @Override
    public CompletionStage<Void> reportApplied(ConfigVersion version) {
        String self = hazelcast.getCluster().getLocalMember().getUuid().toString();
        Set<String> present = memberIds();
        // Members that left leave their entries; whoever reports next drops them.
        applied.keySet().stream().filter(id -> !present.contains(id)).forEach(applied::deleteAsync);
        return Futures.direct(applied.setAsync(self, version.summary()));
    }

    @Override
    public CompletionStage<Map<String, ConfigVersion>> applied() {
        Map<String, CompletableFuture<ConfigVersion>> reads = new LinkedHashMap<>();
        memberIds().forEach(id -> reads.put(id, Futures.direct(applied.getAsync(id))));
        return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, ConfigVersion> byMember = new LinkedHashMap<>();
            reads.forEach((id, read) -> {
                ConfigVersion version = read.join();
                if (version != null) {
                    byMember.put(id, version);
                }
            });
            return byMember;
        });
    }

    private Set<String> memberIds() {
        return hazelcast.getCluster().getMembers().stream().map(Member::getUuid).map(UUID::toString)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private record Changes(Consumer<ConfigVersion> listener)
            implements EntryAddedListener<String, ConfigProcessor.History>, EntryUpdatedListener<String, ConfigProcessor.History> {

        @Override
        public void entryAdded(EntryEvent<String, ConfigProcessor.History> event) {
            listener.accept(event.getValue().current());
        }

        @Override
        public void entryUpdated(EntryEvent<String, ConfigProcessor.History> event) {
            listener.accept(event.getValue().current());
        }
    }
}
