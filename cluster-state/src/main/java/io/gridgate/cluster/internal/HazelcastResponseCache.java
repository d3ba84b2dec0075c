package io.gridgate.cluster.internal;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import com.hazelcast.nearcache.NearCacheStats;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.query.Predicate;
import io.gridgate.cluster.CacheStats;
import io.gridgate.cluster.CachedResponse;
import io.gridgate.cluster.ResponseCache;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Responses in {@code gridgate.cache}, read through a member-side near cache whose invalidations are
 * sent at once (see {@link HazelcastGrid#memberConfig}), and single-flight leases in
 * {@code gridgate.cache.flights}. Every read checks {@code staleUntilMillis} against this member's
 * clock, so neither the near cache nor Hazelcast's lazy expiry can hand out a dead entry.
 */
final class HazelcastResponseCache implements ResponseCache, AutoCloseable {

    static final String CACHE = "gridgate.cache";
    static final String FLIGHTS = "gridgate.cache.flights";
    static final String PURGES = "gridgate.cache.purges";
    private static final String GENERATION = "generation";

    private final IMap<String, CachedResponse> responses;
    private final IMap<String, FlightProcessor.Flight> flights;
    private final IMap<String, Long> purgeCount;
    private final AtomicLong generation = new AtomicLong();
    private final UUID generationListener;
    private final Clock clock;
    private final OperationTimer timer;
    /** Hazelcast has no async partition-wide processor: purges wait here, never on the caller. */
    private final ExecutorService purges = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gridgate-cache-purge");
        thread.setDaemon(true);
        return thread;
    });

    HazelcastResponseCache(HazelcastInstance hazelcast, Clock clock, OperationTimer timer) {
        this.timer = timer;
        this.responses = hazelcast.getMap(CACHE);
        this.flights = hazelcast.getMap(FLIGHTS);
        this.purgeCount = hazelcast.getMap(PURGES);
        this.clock = clock;
        this.generationListener = purgeCount.addEntryListener(new GenerationListener(), true);
        Long current = purgeCount.get(GENERATION);
        if (current != null) {
            heard(current);
        }
    }

    private void heard(long purges) {
        generation.accumulateAndGet(purges, Math::max);
    }

    /**
     * The cache map: BINARY in memory, since a remote get then ships the stored bytes without
     * serializing again and a heap-size bound needs BINARY to cost entries. Bounded by heap, not by
     * entry count, because bodies range from bytes to megabytes. No backups: a lost partition is a
     * burst of misses that single flight contains, and backups would halve what the bound holds and
     * add a hop to every put.
     */
    static MapConfig cacheMapConfig(int maxHeapMegabytes, int nearCacheEntries) {
        MapConfig map = new MapConfig(CACHE).setInMemoryFormat(InMemoryFormat.BINARY).setBackupCount(0);
        map.getEvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
                .setMaxSizePolicy(MaxSizePolicy.USED_HEAP_SIZE).setSize(maxHeapMegabytes);
        // OBJECT: a hit costs no deserialization of headers and body (Java serialization, tens of
        // µs); safe because CachedResponse is immutable. Only ENTRY_COUNT bounds an on-heap near cache.
        // Local entries too: otherwise every hit on a key this member owns deserializes the stored
        // bytes on a partition thread, and on one node that is every key.
        NearCacheConfig near = new NearCacheConfig(CACHE).setInMemoryFormat(InMemoryFormat.OBJECT)
                .setInvalidateOnChange(true).setCacheLocalEntries(true)
                .setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
                        .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT).setSize(nearCacheEntries));
        return map.setNearCacheConfig(near);
    }

    /** Leases are tiny; one backup keeps a claim alive through the loss of its owner. */
    static MapConfig flightsMapConfig() {
        return new MapConfig(FLIGHTS).setInMemoryFormat(InMemoryFormat.OBJECT).setBackupCount(1);
    }

    @Override
    public CompletionStage<Optional<CachedResponse>> get(String key) {
        Objects.requireNonNull(key, "key");
        CompletionStage<CachedResponse> read = responses.getAsync(key);
        if (read instanceof CompletableFuture<CachedResponse> done && done.isDone() && !done.isCompletedExceptionally()) {
            // A near-cache hit completes at once: answer it without a chain of callbacks.
            return CompletableFuture.completedFuture(servable(done.join()));
        }
        return timer.time("cache.get", read).thenApply(this::servable);
    }

    private Optional<CachedResponse> servable(CachedResponse response) {
        return response != null && response.isServableAt(clock.millis()) ? Optional.of(response) : Optional.empty();
    }

    @Override
    public CompletionStage<Void> put(String key, CachedResponse response) {
        Objects.requireNonNull(key, "key");
        long ttlMillis = response.staleUntilMillis() - clock.millis();
        if (ttlMillis <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return timer.time("cache.put", responses.setAsync(key, response, FlightProcessor.ttlSeconds(ttlMillis),
                TimeUnit.SECONDS));
    }

    @Override
    public CompletionStage<Integer> purgeKey(String key) {
        Objects.requireNonNull(key, "key");
        return CompletableFuture.supplyAsync(() -> {
            announcePurge();
            return responses.remove(key) != null ? 1 : 0;
        }, purges);
    }

    @Override
    public CompletionStage<Integer> purgeResource(String resource) {
        return purge(new ForResource(Objects.requireNonNull(resource, "resource")));
    }

    @Override
    public CompletionStage<Integer> purgePrefix(String pathPrefix) {
        return purge(new PathStartsWith(Objects.requireNonNull(pathPrefix, "pathPrefix")));
    }

    @Override
    public CompletionStage<Integer> purgeTag(String tag) {
        return purge(new Tagged(Objects.requireNonNull(tag, "tag")));
    }

    /** Runs on each member over its own partitions; only the removed keys come back. */
    private CompletionStage<Integer> purge(Predicate<String, CachedResponse> matching) {
        return CompletableFuture.supplyAsync(() -> {
            announcePurge();
            return responses.executeOnEntries(new Remove(), matching).size();
        }, purges);
    }

    /**
     * Raises the purge generation before anything is removed, so a fetch that began before the
     * purge sees the change (here at once, elsewhere when the event arrives, within milliseconds)
     * and does not store what it fetched.
     */
    private void announcePurge() {
        heard(purgeCount.executeOnKey(GENERATION, new Increment()));
    }

    @Override
    public long purgeGeneration() {
        return generation.get();
    }

    @Override
    public CompletionStage<Boolean> tryClaim(String key, String owner, Duration lease) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease: " + lease + " (expected: > 0s)");
        }
        return timer.time("cache.claim", flights.submitToKey(key, FlightProcessor.claim(owner, lease.toMillis())));
    }

    @Override
    public CompletionStage<Void> release(String key, String owner) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        return Futures.direct(flights.submitToKey(key, FlightProcessor.release(owner))).thenApply(released -> null);
    }

    @Override
    public CacheStats stats() {
        LocalMapStats local = responses.getLocalMapStats();
        NearCacheStats near = local.getNearCacheStats();
        return new CacheStats(local.getOwnedEntryCount(), local.getOwnedEntryMemoryCost(), local.getEvictionCount(),
                near == null ? 0 : near.getOwnedEntryCount(), near == null ? 0 : near.getEvictions(),
                near == null ? 0 : near.getHits(), near == null ? 0 : near.getMisses());
    }

    /** Entries in this member's near cache, for this module's tests. */
    long nearCached() {
        return responses.getLocalMapStats().getNearCacheStats().getOwnedEntryCount();
    }

    /** Entries whose primary this member holds, for this module's tests. */
    long ownedEntries() {
        return responses.getLocalMapStats().getOwnedEntryCount();
    }

    @Override
    public void close() {
        purges.shutdownNow();
        purgeCount.removeEntryListener(generationListener);
    }

    /** Counts one purge; the entry is created by the first. */
    private record Increment() implements EntryProcessor<String, Long, Long> {

        @Override
        public Long process(Map.Entry<String, Long> entry) {
            long next = (entry.getValue() == null ? 0 : entry.getValue()) + 1;
            entry.setValue(next);
            return next;
        }
    }

    private final class GenerationListener implements EntryAddedListener<String, Long>,
            EntryUpdatedListener<String, Long> {

        @Override
        public void entryAdded(EntryEvent<String, Long> event) {
            heard(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, Long> event) {
            heard(event.getValue());
        }
    }

    /**
     * No index: an index on a BINARY map deserializes every put to extract its attributes, and puts
     * come with every miss while purges are rare; a purge scans each member's entries instead.
     */
    private record PathStartsWith(String prefix) implements Predicate<String, CachedResponse> {

        @Override
        public boolean apply(Map.Entry<String, CachedResponse> entry) {
            return entry.getValue().path().startsWith(prefix);
        }
    }

    private record ForResource(String resource) implements Predicate<String, CachedResponse> {

        @Override
        public boolean apply(Map.Entry<String, CachedResponse> entry) {
            return entry.getValue().resource().equals(resource);
        }
    }

    private record Tagged(String tag) implements Predicate<String, CachedResponse> {

        @Override
        public boolean apply(Map.Entry<String, CachedResponse> entry) {
            return entry.getValue().tags().contains(tag);
        }
    }

    /** Removes the entry it runs on; true so that the caller can count it. */
    private record Remove() implements EntryProcessor<String, CachedResponse, Boolean> {

        @Override
        public Boolean process(Map.Entry<String, CachedResponse> entry) {
            entry.setValue(null);
            return Boolean.TRUE;
        }
    }
}
