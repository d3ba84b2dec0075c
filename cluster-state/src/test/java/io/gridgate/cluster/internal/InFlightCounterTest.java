package io.gridgate.cluster.internal;

import io.gridgate.cluster.Grid;
import io.gridgate.cluster.testing.TestGrids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.hazelcast.test.HazelcastTestSupport.assertTrueEventually;
import static org.assertj.core.api.Assertions.assertThat;

class InFlightCounterTest {

    private final TestGrids grids = new TestGrids();

    @AfterEach
    void terminate() {
        grids.close();
    }

    private static boolean enter(Grid grid, String key, int max) {
        return grid.inFlight().tryEnter(key, max).toCompletableFuture().join();
    }

    @Test
    void theBoundHoldsAcrossMembersAndAReleaseFreesASlot() {
        List<Grid> nodes = List.of(grids.newGrid(), grids.newGrid());

        assertThat(enter(nodes.get(0), "k", 3)).isTrue();
        assertThat(enter(nodes.get(1), "k", 3)).isTrue();
        assertThat(enter(nodes.get(1), "k", 3)).isTrue();
        assertThat(enter(nodes.get(0), "k", 3)).isFalse();

        nodes.get(1).inFlight().release("k").toCompletableFuture().join();

        assertThat(enter(nodes.get(0), "k", 3)).isTrue();
        assertThat(enter(nodes.get(1), "k", 3)).isFalse();
    }

    @Test
    void theRequestsOfAMemberThatDiesAreReleased() {
        Grid survivor = grids.newGrid();
        Grid doomed = grids.newGrid();
        grids.awaitSafeState();
        assertThat(enter(doomed, "k", 2)).isTrue();
        assertThat(enter(doomed, "k", 2)).isTrue();
        assertThat(enter(survivor, "k", 2)).isFalse();

        grids.crash(doomed);

        assertTrueEventually(() -> assertThat(enter(survivor, "k", 2)).isTrue());
        assertThat(enter(survivor, "k", 2)).isTrue();
        assertThat(enter(survivor, "k", 2)).isFalse();
    }
}
