package io.gridgate.node.config;

import java.util.List;

/**
 * Which client addresses may send requests, as CIDR ranges (IPv4 or IPv6; a bare address is a
 * /32 or /128). A client in {@code deny} is refused; when {@code allow} is not empty, so is every
 * client outside it. Deny wins over allow.
 */
public record IpRulesConfig(List<String> allow, List<String> deny) {

    public IpRulesConfig {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public static final IpRulesConfig NONE = new IpRulesConfig(List.of(), List.of());

    public boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }
}
