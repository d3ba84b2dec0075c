package io.gridgate.cluster.internal;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import io.gridgate.cluster.ApiKeyOwner;
import io.gridgate.cluster.ApiKeyStore;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * API key owners in {@code gridgate.apikeys}, with a bounded member-local cache of keys that were
 * found. An entry listener drops a cached key on any change, within milliseconds on every member;
 * a lookup that raced with a change is not cached, so a revoked key never lingers.
 */
final class HazelcastApiKeyStore implements ApiKeyStore, AutoCloseable {

    static final String API_KEYS = "gridgate.apikeys";
    /** Enough for every active key of a large API; beyond it, lookups go to the grid uncached. */
    static final int MAX_CACHED = 100_000;

    private final IMap<String, ApiKeyOwner> owners;
    private final Map<String, ApiKeyOwner> cache = new ConcurrentHashMap<>();
    /** Grows with every change seen; a lookup caches its answer only if none came while it ran. */
    private final AtomicLong changes = new AtomicLong();
    private final UUID listener;

    private final OperationTimer timer;

    HazelcastApiKeyStore(HazelcastInstance hazelcast, OperationTimer timer) {
        this.timer = timer;
        this.owners = hazelcast.getMap(API_KEYS);
        this.listener = owners.addEntryListener(new Invalidator(), false);
    }

    @Override
    public CompletionStage<Optional<ApiKeyOwner>> find(String keyDigest) {
        ApiKeyOwner cached = cache.get(keyDigest);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        long before = changes.get();
        return timer.time("api_key.find", owners.getAsync(keyDigest)).thenApply(owner -> {
            if (owner != null && changes.get() == before && cache.size() < MAX_CACHED) {
                cache.put(keyDigest, owner);
            }
            return Optional.ofNullable(owner);
        });
    }

    @Override
    public CompletionStage<Void> putAll(Map<String, ApiKeyOwner> entries) {
        return Futures.direct(owners.putAllAsync(entries));
    }

    @Override
    public CompletionStage<Void> remove(String keyDigest) {
        // This member need not wait for its own listener: the key stops working here once this completes.
        forget(keyDigest);
        return Futures.direct(owners.deleteAsync(keyDigest)).thenApply(removed -> {
            forget(keyDigest);
            return null;
        });
    }

    private void forget(String keyDigest) {
        changes.incrementAndGet();
        cache.remove(keyDigest);
    }

    /** Count for tests of this module. */
    int cached() {
        return cache.size();
    }

    @Override
    public void close() {
        owners.removeEntryListener(listener);
        cache.clear();
    }

    private final class Invalidator implements EntryAddedListener<String, ApiKeyOwner>,
            EntryUpdatedListener<String, ApiKeyOwner>, EntryRemovedListener<String, ApiKeyOwner>,
            EntryEvictedListener<String, ApiKeyOwner>, EntryExpiredListener<String, ApiKeyOwner>,
            MapClearedListener {

        private void changed(EntryEvent<String, ApiKeyOwner> event) {
            changes.incrementAndGet();
            cache.remove(event.getKey());
        }

        @Override
        public void entryAdded(EntryEvent<String, ApiKeyOwner> event) {
            changed(event);
        }

        @Override
        public void entryUpdated(EntryEvent<String, ApiKeyOwner> event) {
            changed(event);
        }

        @Override
        public void entryRemoved(EntryEvent<String, ApiKeyOwner> event) {
            changed(event);
        }

        @Override
        public void entryEvicted(EntryEvent<String, ApiKeyOwner> event) {
            changed(event);
        }

        @Override
        public void entryExpired(EntryEvent<String, ApiKeyOwner> event) {
            changed(event);
        }

        @Override
        public void mapCleared(MapEvent event) {
            changes.incrementAndGet();
            cache.clear();
        }
    }
}
