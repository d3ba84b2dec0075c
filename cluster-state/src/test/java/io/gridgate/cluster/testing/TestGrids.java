package io.gridgate.cluster.testing;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.test.HazelcastTestSupport;
import com.hazelcast.test.TestHazelcastInstanceFactory;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.cluster.GridSettings;
import io.gridgate.cluster.internal.HazelcastGrid;
import io.gridgate.cluster.internal.SplitBrainEffects;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Many grid members in one JVM on Hazelcast's mock network, for tests of other modules that must
 * not see Hazelcast types. Close it in {@code @AfterEach}.
 */
public final class TestGrids implements AutoCloseable {

    private final TestHazelcastInstanceFactory factory = new TestHazelcastInstanceFactory();
    private final GridSettings settings;
    private final Map<Grid, HazelcastInstance> members = new ConcurrentHashMap<>();

    public TestGrids() {
        this(GridSettings.standalone("gridgate-test", 5701));
    }

    public TestGrids(GridSettings settings) {
        this.settings = settings;
    }

    /** A new member of this factory's cluster, configured as production configures it. */
    public Grid newGrid() {
        return newGrid(Clock.systemUTC());
    }

    /** A new member whose registry judges time by the given clock. */
    public Grid newGrid(Clock clock) {
        HazelcastInstance member = factory.newHazelcastInstance(HazelcastGrid.memberConfig(settings));
        Grid grid = new HazelcastGrid(member, clock);
        members.put(grid, member);
        // A member whose join timed out on a busy machine starts a cluster of its own and merges
        // later; a test that then claimed a lease on each side saw both win. Start from one cluster.
        HazelcastTestSupport.assertClusterSizeEventually(members.size(), members.values());
        return grid;
    }

    /** Waits until every partition has its backups in place, as a cluster that has settled does. */
    public void awaitSafeState() {
        HazelcastTestSupport.waitAllForSafeState(members.values());
    }

    /** Kills a member without a goodbye, as a crashed process would: no partition hand-off. */
    public void crash(Grid grid) {
        members.remove(grid).getLifecycleService().terminate();
    }

    /**
     * Leaves the grid holding {@code versions} as its configuration history, as a healed split whose
     * other side won does. Unlike a merge this fires an entry update, which changes nothing for a
     * member that runs a number at least as high: that is the case a merge leaves.
     */
    public void replaceConfigHistory(Grid grid, List<ConfigVersion> versions) {
        SplitBrainEffects.replaceConfigHistory(members.get(grid), versions);
    }

    /** Fires the event a member sees once its side of a network split has merged into the other. */
    public void announceMerge(Grid grid) {
        SplitBrainEffects.announceMerge(members.get(grid));
    }

    @Override
    public void close() {
        factory.terminateAll();
    }
}
