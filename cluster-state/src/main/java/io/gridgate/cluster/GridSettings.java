package io.gridgate.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node's grid member binds and finds its peers.
 *
 * @param clusterName members join only members with the same name
 * @param bindAddress the private interface the member listens on; {@code 0.0.0.0} binds every interface
 * @param port the member port; not auto-incremented, so a clash fails at start instead of drifting
 * @param members explicit {@code host[:port]} seeds; empty means this member alone
 * @param kubernetesServiceDns a headless Service whose DNS records list the members; replaces {@code members}
 * @param cacheHeapMegabytes heap the response cache's entries may take on each member, least recently used out first
 * @param nearCacheEntries responses each member keeps in its near cache, least recently used out first
 */
public record GridSettings(
        String clusterName,
        String bindAddress,
        int port,
        List<String> members,
        Optional<String> kubernetesServiceDns,
        int cacheHeapMegabytes,
        int nearCacheEntries) {

    public static final int DEFAULT_CACHE_HEAP_MEGABYTES = 256;
    public static final int DEFAULT_NEAR_CACHE_ENTRIES = 10_000;

    public GridSettings {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(bindAddress, "bindAddress");
        members = List.copyOf(members);
        Objects.requireNonNull(kubernetesServiceDns, "kubernetesServiceDns");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
        }
        if (cacheHeapMegabytes < 1) {
            throw new IllegalArgumentException("cacheHeapMegabytes: " + cacheHeapMegabytes + " (expected: >= 1)");
        }
        if (nearCacheEntries < 1) {
            throw new IllegalArgumentException("nearCacheEntries: " + nearCacheEntries + " (expected: >= 1)");
        }
    }

    /** With the default bounds of the response cache. */
    public GridSettings(String clusterName, String bindAddress, int port, List<String> members,
                        Optional<String> kubernetesServiceDns) {
        this(clusterName, bindAddress, port, members, kubernetesServiceDns, DEFAULT_CACHE_HEAP_MEGABYTES,
                DEFAULT_NEAR_CACHE_ENTRIES);
    }

    /** A member alone on loopback, for demos and tests. */
    public static GridSettings standalone(String clusterName, int port) {
        return new GridSettings(clusterName, "127.0.0.1", port, List.of(), Optional.empty());
    }
}
