package io.gridgate.node.pipeline;

import io.gridgate.node.config.IpRulesConfig;

import java.net.InetAddress;

/**
 * Which client addresses may pass, compiled once from {@link IpRulesConfig}: an address in
 * {@code deny} is refused; when {@code allow} is not empty, so is every address outside it. Deny
 * wins. An unknown client (a forwarded entry that is not an IP address) is refused by any rules
 * that are not empty: it fails closed.
 */
public final class IpRules {

    private static final IpRules NONE = new IpRules(IpRanges.none(), IpRanges.none());

    private final IpRanges allow;
    private final IpRanges deny;

    private IpRules(IpRanges allow, IpRanges deny) {
        this.allow = allow;
        this.deny = deny;
    }

    /** Rules that allow everyone. */
    public static IpRules none() {
        return NONE;
    }

    /** Compiles validated rules; throws IllegalArgumentException naming a bad range. */
    public static IpRules parse(IpRulesConfig config) {
        if (config == null || config.isEmpty()) {
            return NONE;
        }
        return new IpRules(IpRanges.parse(config.allow()), IpRanges.parse(config.deny()));
    }

    /** True when these rules allow everyone. */
    public boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }

    /** Whether a client at this address may pass; {@code null} stands for an unknown client. */
    public boolean isAllowed(InetAddress address) {
        if (isEmpty()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        return !deny.contains(bytes) && (allow.isEmpty() || allow.contains(bytes));
    }
}
