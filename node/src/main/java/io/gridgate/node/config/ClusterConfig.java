package io.gridgate.node.config;

import java.util.List;
import java.util.Optional;

/**
 * How this node's grid member finds the others.
 *
 * @param members explicit {@code host[:port]} seeds; empty means this member alone
 * @param kubernetesServiceDns a headless Service name; when set it replaces the member list
 * @param zone the failure zone this node runs in, for zone-aware load balancing
 */
public record ClusterConfig(
        String name,
        String bindAddress,
        int port,
        List<String> members,
        Optional<String> kubernetesServiceDns,
        Optional<String> zone) {

    public ClusterConfig {
        members = List.copyOf(members);
    }
}
