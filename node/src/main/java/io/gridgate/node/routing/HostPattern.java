package io.gridgate.node.routing;

/** An exact host name, or a {@code *.example.com} wildcard matching one or more leading labels. */
record HostPattern(String pattern, boolean wildcard, String suffix) {

    static HostPattern of(String pattern) {
        return pattern.startsWith("*.")
                ? new HostPattern(pattern, true, pattern.substring(1))
                : new HostPattern(pattern, false, pattern);
    }

    boolean matches(String host) {
        return wildcard
                ? host.length() > suffix.length() && host.endsWith(suffix)
                : host.equals(pattern);
    }

    /** Exact names outrank wildcards; longer wildcards outrank shorter ones. */
    int specificity() {
        return wildcard ? 1 + suffix.length() : 1 << 16;
    }
}
