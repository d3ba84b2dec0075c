package io.gridgate.cluster.internal;

import com.hazelcast.query.Predicate;
import io.gridgate.cluster.BreakerView;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** The grid's value for one member's state of one breaker. */
record ReportedView(String member, String breaker, String state, Instant since) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static String key(String member, String breaker) {
        return member + "/" + breaker;
    }

    BreakerView view() {
        return new BreakerView(member, breaker, state, since);
    }

    /** Selects the views of members no longer in the cluster. */
    record ReportedByAbsent(Set<String> present) implements Predicate<String, ReportedView> {

        @Serial
        private static final long serialVersionUID = 1L;

        ReportedByAbsent {
            present = Set.copyOf(present);
        }

        @Override
        public boolean apply(Map.Entry<String, ReportedView> entry) {
            return !present.contains(entry.getValue().member());
        }
    }
}
