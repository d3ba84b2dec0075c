package io.gridgate.cluster;

import java.util.Objects;

/**
 * One member of the cluster as another member sees it.
 *
 * @param id the member's stable identifier, as {@link Grid#localMemberId()} gives it on that member
 * @param address the {@code host:port} it listens on for other members
 * @param local true for the member that was asked
 */
public record ClusterMember(String id, String address, boolean local) {

    public ClusterMember {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }
}
