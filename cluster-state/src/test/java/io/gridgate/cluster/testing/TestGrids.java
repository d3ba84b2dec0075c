package io.gridgate.cluster.testing;

import com.hazelcast.test.TestHazelcastInstanceFactory;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.GridSettings;
import io.gridgate.cluster.internal.HazelcastGrid;

/**
 * Many grid members in one JVM on Hazelcast's mock network, for tests of other modules that must
 * not see Hazelcast types. Close it in {@code @AfterEach}.
 */
public final class TestGrids implements AutoCloseable {

    private final TestHazelcastInstanceFactory factory = new TestHazelcastInstanceFactory();
    private final GridSettings settings;

    public TestGrids() {
        this(GridSettings.standalone("gridgate-test", 5701));
    }

    public TestGrids(GridSettings settings) {
        this.settings = settings;
    }

    /** A new member of this factory's cluster, configured as production configures it. */
    public Grid newGrid() {
        return new HazelcastGrid(factory.newHazelcastInstance(HazelcastGrid.memberConfig(settings)));
    }

    @Override
    public void close() {
        factory.terminateAll();
    }
}
