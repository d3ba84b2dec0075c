package io.gridgate.cluster.internal;

import com.hazelcast.map.EntryProcessor;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A key's in-flight requests, by member; with the processors that change it on the key's owner. */
final class InFlight implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    final HashMap<UUID, Integer> byMember = new HashMap<>();

    int total() {
        int total = 0;
        for (int count : byMember.values()) {
            total += count;
        }
        return total;
    }

    /** Counts a request of {@code member} if the total is under {@code max}. */
    record Enter(UUID member, int max) implements EntryProcessor<String, InFlight, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, InFlight> entry) {
            InFlight inFlight = entry.getValue() == null ? new InFlight() : entry.getValue();
            if (inFlight.total() >= max) {
                return false;
            }
            inFlight.byMember.merge(member, 1, Integer::sum);
            entry.setValue(inFlight);
            return true;
        }
    }

    /** Counts a request of {@code member} less; an empty count leaves no entry behind. */
    record Release(UUID member) implements EntryProcessor<String, InFlight, Void> {
        @Override
        public Void process(Map.Entry<String, InFlight> entry) {
            InFlight inFlight = entry.getValue();
            if (inFlight == null) {
                return null;
            }
            inFlight.byMember.computeIfPresent(member, (m, count) -> count > 1 ? count - 1 : null);
            entry.setValue(inFlight.byMember.isEmpty() ? null : inFlight);
            return null;
        }
    }

    /** Drops the share of a member that left the cluster. */
    record Forget(UUID member) implements EntryProcessor<String, InFlight, Void> {
        @Override
        public Void process(Map.Entry<String, InFlight> entry) {
            InFlight inFlight = entry.getValue();
            if (inFlight != null && inFlight.byMember.remove(member) != null) {
                entry.setValue(inFlight.byMember.isEmpty() ? null : inFlight);
            }
            return null;
        }
    }
}
