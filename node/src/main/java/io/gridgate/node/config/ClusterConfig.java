package io.gridgate.node.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How this node's grid member finds the others.
 *
 * @param members explicit {@code host[:port]} seeds; empty means this member alone
 * @param kubernetesServiceDns a headless Service name; when set it replaces the member list
 * @param zone the failure zone this node runs in, for zone-aware load balancing
 * @param cacheHeapMegabytes heap the response cache's entries may take on this member
 * @param nearCacheEntries responses this member keeps in its near cache
 * @param dataDir where this node keeps each version of the shared configuration, so that a restart
 *     of every node loses no change; empty keeps it in the grid only
 * @param expectedMembers how many members the cluster should have; 0 checks nothing
 * @param expectedMembersGrace how long the node may see fewer than {@code expectedMembers} before it
 *     reports not ready
 */
public record ClusterConfig(
        String name,
        String bindAddress,
        int port,
        List<String> members,
        Optional<String> kubernetesServiceDns,
        Optional<String> zone,
        int cacheHeapMegabytes,
        int nearCacheEntries,
        Optional<String> dataDir,
        int expectedMembers,
        Duration expectedMembersGrace) {

    public static final int DEFAULT_CACHE_HEAP_MEGABYTES = 256;
    public static final int DEFAULT_NEAR_CACHE_ENTRIES = 10_000;
    public static final Duration DEFAULT_EXPECTED_MEMBERS_GRACE = Duration.ofSeconds(30);
    /** The environment variable that sets {@code dataDir}, over the file's. */
    public static final String DATA_DIR_ENV = "GRIDGATE_DATA_DIR";

    public ClusterConfig {
        members = List.copyOf(members);
    }

    /** With the response cache's default bounds. */
    public ClusterConfig(String name, String bindAddress, int port, List<String> members,
                         Optional<String> kubernetesServiceDns, Optional<String> zone) {
        this(name, bindAddress, port, members, kubernetesServiceDns, zone, DEFAULT_CACHE_HEAP_MEGABYTES,
                DEFAULT_NEAR_CACHE_ENTRIES, Optional.empty(), 0, DEFAULT_EXPECTED_MEMBERS_GRACE);
    }
}
