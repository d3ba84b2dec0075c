package io.gridgate.cluster.internal;

import com.hazelcast.config.Config;
import com.hazelcast.test.TestHazelcastInstanceFactory;
import io.gridgate.cluster.CachedResponse;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.GridSettings;
import io.gridgate.cluster.ResponseCache;
import io.gridgate.cluster.testing.MutableClock;
import io.gridgate.cluster.testing.TestGrids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResponseCacheTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final TestGrids grids = new TestGrids();
    private final TestHazelcastInstanceFactory boundedFactory = new TestHazelcastInstanceFactory();

    @AfterEach
    void tearDown() {
        grids.close();
        boundedFactory.terminateAll();
    }

    private static CachedResponse response(Clock clock, String path, Set<String> tags, Duration fresh, Duration stale) {
        long now = clock.millis();
        return new CachedResponse(200, List.of(new CachedResponse.Header("Content-Type", "application/json")),
                ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8), now,
                now + fresh.toMillis(), now + fresh.toMillis() + stale.toMillis(), tags, path);
    }

    private static CachedResponse response(Clock clock, String path, String... tags) {
        return response(clock, path, Set.of(tags), Duration.ofMinutes(1), Duration.ofMinutes(1));
    }

    private static Optional<CachedResponse> get(Grid grid, String key) {
        return grid.cache().get(key).toCompletableFuture().join();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static long nearCached(List<Grid> members) {
        return members.stream().mapToLong(grid -> ((HazelcastResponseCache) grid.cache()).nearCached()).sum();
    }

    /** Reads the key on every member, so that each member not owning it holds it near. */
    private static void readEverywhere(List<Grid> members, String key, CachedResponse expected) {
        for (Grid grid : members) {
            assertThat(get(grid, key)).contains(expected);
        }
    }

    /**
     * Reads the keys everywhere until the near caches hold them: the put's own invalidation may reach
     * a member after its first read cached the entry, and then drops it again.
     */
    private static void nearCacheEverywhere(List<Grid> members, Map<String, CachedResponse> entries) {
        // Two of three members do not own each key, and a member's near cache holds only those.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            entries.forEach((key, expected) -> readEverywhere(members, key, expected));
            return nearCached(members) >= 2L * entries.size();
        });
    }

    @Test
    void aResponseStoredThroughOneMemberIsFoundThroughEveryOther() {
        List<Grid> members = List.of(grids.newGrid(), grids.newGrid(), grids.newGrid());
        CachedResponse orders = response(Clock.systemUTC(), "/orders/1", "order:1");

        join(members.get(0).cache().put("GET /orders/1", orders));

        assertThat(get(members.get(1), "GET /orders/1")).contains(orders);
        assertThat(get(members.get(2), "GET /orders/1")).contains(orders);
        assertThat(get(members.get(2), "GET /orders/2")).isEmpty();
    }

    @Test
    void aPurgedKeyIsGoneFromEveryNearCacheWithinASecond() {
        purgeReachesEveryMember("key", cache -> cache.purgeKey("GET /orders/1"), 1);
    }

    @Test
    void aPurgedPrefixIsGoneFromEveryNearCacheWithinASecond() {
        purgeReachesEveryMember("prefix", cache -> cache.purgePrefix("/orders/"), 2);
    }

    @Test
    void aPurgedResourceIsGoneFromEveryNearCacheWithinASecond() {
        purgeReachesEveryMember("resource", cache -> cache.purgeResource("/orders/1"), 1);
    }

    @Test
    void everyPurgeRaisesThePurgeGenerationOnEveryMember() {
        List<Grid> members = List.of(grids.newGrid(), grids.newGrid(), grids.newGrid());
        assertThat(members).allSatisfy(grid -> assertThat(grid.cache().purgeGeneration()).isZero());

        join(members.get(1).cache().purgeTag("nothing-has-it"));
        assertThat(members.get(1).cache().purgeGeneration()).as("the purging member knows at once").isEqualTo(1);
        join(members.get(2).cache().purgeKey("GET /none"));

        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(members)
                .allSatisfy(grid -> assertThat(grid.cache().purgeGeneration()).isEqualTo(2)));
        Grid late = grids.newGrid();
        assertThat(late.cache().purgeGeneration()).as("a member that joins later starts from the count").isEqualTo(2);
    }

    @Test
    void aLoneMemberServesItsOwnEntriesFromTheNearCacheAndForgetsThemOnPurge() {
        Grid grid = grids.newGrid();
        CachedResponse response = response(Clock.systemUTC(), "/orders/1", "order:1");
        join(grid.cache().put("GET /orders/1", response));
        assertThat(get(grid, "GET /orders/1")).contains(response);
        // The near cache takes the value when the read's future completes, a moment after the caller has it.
        await().atMost(Duration.ofSeconds(1)).until(() -> get(grid, "GET /orders/1").isPresent()
                && ((HazelcastResponseCache) grid.cache()).nearCached() == 1);
        // Served from the near cache: the same object, not a fresh deserialization.
        assertThat(get(grid, "GET /orders/1").orElseThrow()).isSameAs(get(grid, "GET /orders/1").orElseThrow());

        join(grid.cache().purgeTag("order:1"));

        assertThat(get(grid, "GET /orders/1")).isEmpty();
    }

    @Test
    void aPurgedResourceTakesEveryVariantAndItsIndexButNoOtherQuery() {
        Grid grid = grids.newGrid();
        long now = System.currentTimeMillis();
        CachedResponse gzip = new CachedResponse(200, List.of(), new byte[] {1}, now, now + 60_000, now + 60_000,
                Set.of(), "/items", "/items?a=1", List.of());
        CachedResponse other = new CachedResponse(200, List.of(), new byte[] {2}, now, now + 60_000, now + 60_000,
                Set.of(), "/items", "/items?a=2", List.of());
        join(grid.cache().put("index", CachedResponse.varyIndex(List.of("accept-encoding"), gzip)));
        join(grid.cache().put("gzip", gzip));
        join(grid.cache().put("other", other));

        assertThat(join(grid.cache().purgeResource("/items?a=1"))).isEqualTo(2);

        assertThat(get(grid, "index")).isEmpty();
        assertThat(get(grid, "gzip")).isEmpty();
        assertThat(get(grid, "other")).contains(other);
    }

    @Test
    void aPurgedTagIsGoneFromEveryNearCacheWithinASecond() {
        purgeReachesEveryMember("tag", cache -> cache.purgeTag("order:1"), 1);
    }

    private void purgeReachesEveryMember(String kind, Function<ResponseCache, CompletionStage<Integer>> purge,
                                         int expectedRemoved) {
        List<Grid> members = List.of(grids.newGrid(), grids.newGrid(), grids.newGrid());
        Clock clock = Clock.systemUTC();
        CachedResponse first = response(clock, "/orders/1", "order:1", "orders");
        CachedResponse second = response(clock, "/orders/2", "order:2", "orders");
        CachedResponse user = response(clock, "/users/1", "user:1");
        join(members.get(0).cache().put("GET /orders/1", first));
        join(members.get(0).cache().put("GET /orders/2", second));
        join(members.get(0).cache().put("GET /users/1", user));
        nearCacheEverywhere(members, Map.of("GET /orders/1", first, "GET /users/1", user));

        long started = System.nanoTime();
        assertThat(join(purge.apply(members.get(2).cache()))).isEqualTo(expectedRemoved);
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(1))
                .until(() -> members.stream().allMatch(grid -> get(grid, "GET /orders/1").isEmpty()));
        System.out.printf("purge by %s gone on every member after %d ms%n",
                kind, Duration.ofNanos(System.nanoTime() - started).toMillis());

        for (Grid grid : members) {
            assertThat(get(grid, "GET /users/1")).contains(user);
        }
    }

    @Test
    void aResponsePastItsStaleLimitIsNeverReturnedEvenFromANearCache() {
        MutableClock clock = new MutableClock(START);
        List<Grid> members = List.of(grids.newGrid(clock), grids.newGrid(clock), grids.newGrid(clock));
        CachedResponse orders = response(clock, "/orders/1", Set.of(), Duration.ofSeconds(10), Duration.ofSeconds(5));
        join(members.get(0).cache().put("GET /orders/1", orders));
        nearCacheEverywhere(members, Map.of("GET /orders/1", orders));

        clock.advance(Duration.ofSeconds(12));
        for (Grid grid : members) {
            // Stale but servable: the caller decides by expiresAt.
            assertThat(get(grid, "GET /orders/1")).hasValueSatisfying(
                    cached -> assertThat(cached.isFreshAt(clock.millis())).isFalse());
        }

        clock.advance(Duration.ofSeconds(3));
        for (Grid grid : members) {
            assertThat(get(grid, "GET /orders/1")).isEmpty();
        }
    }

    @Test
    void aResponseAlreadyPastItsStaleLimitIsNotStored() {
        MutableClock clock = new MutableClock(START);
        Grid grid = grids.newGrid(clock);
        CachedResponse orders = response(clock, "/orders/1", Set.of(), Duration.ofSeconds(1), Duration.ZERO);
        clock.advance(Duration.ofSeconds(1));

        join(grid.cache().put("GET /orders/1", orders));

        assertThat(((HazelcastResponseCache) grid.cache()).ownedEntries()).isZero();
    }

    @Test
    void theFirstClaimerWinsOnAnyMemberUntilItReleases() {
        MutableClock clock = new MutableClock(START);
        Grid a = grids.newGrid(clock);
        Grid b = grids.newGrid(clock);
        Grid c = grids.newGrid(clock);
        Duration lease = Duration.ofSeconds(5);

        assertThat(join(a.cache().tryClaim("GET /orders/1", "a", lease))).isTrue();
        assertThat(join(b.cache().tryClaim("GET /orders/1", "b", lease))).isFalse();
        assertThat(join(c.cache().tryClaim("GET /orders/1", "c", lease))).isFalse();
        assertThat(join(c.cache().tryClaim("GET /orders/2", "c", lease))).isTrue();
        assertThat(join(b.cache().tryClaim("GET /orders/1", "a", lease))).isTrue();

        join(c.cache().release("GET /orders/1", "c"));
        assertThat(join(b.cache().tryClaim("GET /orders/1", "b", lease))).isFalse();

        join(a.cache().release("GET /orders/1", "a"));
        assertThat(join(b.cache().tryClaim("GET /orders/1", "b", lease))).isTrue();
        assertThat(join(a.cache().tryClaim("GET /orders/1", "a", lease))).isFalse();
    }

    @Test
    void aClaimLapsesWhenItsLeaseRunsOut() {
        MutableClock clock = new MutableClock(START);
        Grid a = grids.newGrid(clock);
        Grid b = grids.newGrid(clock);

        assertThat(join(a.cache().tryClaim("GET /orders/1", "a", Duration.ofSeconds(5)))).isTrue();
        clock.advance(Duration.ofMillis(4_999));
        assertThat(join(b.cache().tryClaim("GET /orders/1", "b", Duration.ofSeconds(5)))).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(join(b.cache().tryClaim("GET /orders/1", "b", Duration.ofSeconds(5)))).isTrue();
    }

    @Test
    void theCacheEvictsTheLeastRecentlyUsedBeyondItsHeapBound() {
        Config config = HazelcastGrid.memberConfig(GridSettings.standalone("gridgate-bounded", 5701));
        config.addMapConfig(HazelcastResponseCache.cacheMapConfig(1, 100));
        Grid grid = new HazelcastGrid(boundedFactory.newHazelcastInstance(config), Clock.systemUTC());
        Clock clock = Clock.systemUTC();
        byte[] body = new byte[20 * 1024];
        int stored = 200;

        for (int i = 0; i < stored; i++) {
            long now = clock.millis();
            join(grid.cache().put("GET /blob/" + i, new CachedResponse(200, List.of(), body, now,
                    now + 60_000, now + 60_000, Set.of(), "/blob/" + i)));
        }

        long kept = ((HazelcastResponseCache) grid.cache()).ownedEntries();
        System.out.printf("heap bound of 1 MB kept %d of %d responses of 20 KB%n", kept, stored);
        assertThat(kept).isPositive().isLessThan(stored);
        assertThat(kept * body.length).isLessThanOrEqualTo(2L * 1024 * 1024);
    }
}
