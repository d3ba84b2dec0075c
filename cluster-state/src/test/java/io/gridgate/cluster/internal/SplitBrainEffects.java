package io.gridgate.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.instance.impl.LifecycleServiceImpl;
import io.gridgate.cluster.ConfigVersion;

import java.util.List;

/**
 * What a healed network split leaves behind, produced on demand: forming two clusters on the mock
 * network and merging them takes seconds and depends on Hazelcast's merge timing, while what Gridgate
 * must cope with is only its outcome.
 */
public final class SplitBrainEffects {

    private SplitBrainEffects() {
    }

    /**
     * Replaces the configuration history as a merge does when the other side's entry wins: the
     * versions this side made are gone, and numbers no longer say which document is newer.
     */
    public static void replaceConfigHistory(HazelcastInstance member, List<ConfigVersion> versions) {
        member.<String, ConfigProcessor.History>getMap(HazelcastConfigStore.CONFIG)
                .set(HazelcastConfigStore.KEY, new ConfigProcessor.History(versions, true));
    }

    /** Tells the member's lifecycle listeners that its side of a split has merged into the other. */
    public static void announceMerge(HazelcastInstance member) {
        ((LifecycleServiceImpl) member.getLifecycleService()).fireLifecycleEvent(LifecycleState.MERGED);
    }
}
