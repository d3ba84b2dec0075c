package io.gridgate.cluster.internal;

import io.gridgate.cluster.ApiKeyOwner;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.testing.TestGrids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ApiKeyStoreTest {

    private static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final ApiKeyOwner MOBILE = new ApiKeyOwner("mobile-app", List.of("orders:read"), List.of());

    private final TestGrids grids = new TestGrids();

    @AfterEach
    void tearDown() {
        grids.close();
    }

    private static Optional<ApiKeyOwner> find(Grid grid, String digest) {
        return grid.apiKeys().find(digest).toCompletableFuture().join();
    }

    @Test
    void aKeyStoredThroughOneMemberIsFoundThroughAnother() {
        Grid a = grids.newGrid();
        Grid b = grids.newGrid();
        a.apiKeys().putAll(Map.of(DIGEST, MOBILE)).toCompletableFuture().join();

        assertThat(find(b, DIGEST)).contains(MOBILE);
        assertThat(find(b, "0".repeat(64))).isEmpty();
    }

    @Test
    void aRemovedKeyStopsWorkingOnAMemberThatHadItCached() {
        Grid a = grids.newGrid();
        Grid b = grids.newGrid();
        a.apiKeys().putAll(Map.of(DIGEST, MOBILE)).toCompletableFuture().join();
        assertThat(find(b, DIGEST)).contains(MOBILE);
        // A read that overlaps the put's own event is not cached (it may predate the change): read until one is.
        await().atMost(Duration.ofSeconds(1)).until(() -> find(b, DIGEST).isPresent()
                && ((HazelcastApiKeyStore) b.apiKeys()).cached() == 1);

        a.apiKeys().remove(DIGEST).toCompletableFuture().join();

        await().atMost(Duration.ofSeconds(1)).until(() -> find(b, DIGEST).isEmpty());
    }

    @Test
    void aChangedOwnerReplacesTheCachedOneEverywhere() {
        Grid a = grids.newGrid();
        Grid b = grids.newGrid();
        a.apiKeys().putAll(Map.of(DIGEST, MOBILE)).toCompletableFuture().join();
        assertThat(find(b, DIGEST)).contains(MOBILE);

        ApiKeyOwner moved = new ApiKeyOwner("web-app", List.of(), List.of("admin"));
        a.apiKeys().putAll(Map.of(DIGEST, moved)).toCompletableFuture().join();

        await().atMost(Duration.ofSeconds(1)).until(() -> find(b, DIGEST).equals(Optional.of(moved)));
    }
}
