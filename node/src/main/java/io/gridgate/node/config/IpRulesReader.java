package io.gridgate.node.config;

import io.gridgate.node.pipeline.IpRanges;

/** Reads {@code ipRules}, globally under {@code server} or per route: CIDR ranges to allow and to deny. */
final class IpRulesReader {

    static final String[] KEYS = {"allow", "deny"};
    static final String ENV_ALLOW = "GRIDGATE_IP_ALLOW";
    static final String ENV_DENY = "GRIDGATE_IP_DENY";

    /** A range as {@code server.trustedProxies} takes it too: compiled once by {@link IpRanges}. */
    static final ValueType<String> CIDR = ValueType.text("an IP address or CIDR range such as 10.0.0.0/8",
            IpRanges::check);

    private IpRulesReader() {
    }

    /** The server's rules, which the environment may replace list by list. */
    static IpRulesConfig readServer(Section s) {
        return read(s, ENV_ALLOW, ENV_DENY);
    }

    static IpRulesConfig readRoute(Section s) {
        return read(s, null, null);
    }

    private static IpRulesConfig read(Section s, String allowVariable, String denyVariable) {
        IpRulesConfig rules = new IpRulesConfig(
                s.list("allow", CIDR, "a sequence of CIDR ranges such as [10.0.0.0/8, \"2001:db8::/32\"]",
                        allowVariable),
                s.list("deny", CIDR, "a sequence of CIDR ranges such as [10.0.0.5]", denyVariable));
        return rules.isEmpty() ? IpRulesConfig.NONE : rules;
    }
}
