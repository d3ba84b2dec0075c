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
 */
public record GridSettings(
        String clusterName,
        String bindAddress,
        int port,
        List<String> members,
        Optional<String> kubernetesServiceDns) {

    public GridSettings {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(bindAddress, "bindAddress");
        members = List.copyOf(members);
        Objects.requireNonNull(kubernetesServiceDns, "kubernetesServiceDns");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
        }
    }

    /** A member alone on loopback, for demos and tests. */
    public static GridSettings standalone(String clusterName, int port) {
        return new GridSettings(clusterName, "127.0.0.1", port, List.of(), Optional.empty());
    }
}
