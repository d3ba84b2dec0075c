package io.gridgate.node.resilience;

import java.util.Set;

/**
 * A set of HTTP statuses asked about on every response: a lookup table, since a boxed
 * {@code Set<Integer>} probe showed up in the proxy's profile.
 */
final class StatusSet {

    private final boolean[] members = new boolean[600];

    private StatusSet() {
    }

    static StatusSet of(Set<Integer> statuses) {
        StatusSet set = new StatusSet();
        for (int status : statuses) {
            set.members[status] = true;
        }
        return set;
    }

    boolean contains(int status) {
        return status >= 0 && status < members.length && members[status];
    }
}
