package io.gridgate.cluster;

/**
 * A member of the cluster as this member sees it.
 *
 * @param id the member's identifier, as {@link Grid#localMemberId()} gives it on that member
 * @param address host and port of its member protocol
 * @param local whether it is this member
 */
public record GridMember(String id, String address, boolean local) {
}
