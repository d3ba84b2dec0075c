package io.gridgate.node.pipeline;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of address ranges in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single
 * address), compiled once; {@link #contains} is a few byte comparisons per range.
 */
public final class IpRanges {

    private static final IpRanges NONE = new IpRanges(List.of());

    private final List<Range> ranges;

    private IpRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    public static IpRanges none() {
        return NONE;
    }

    /** Parses validated CIDR strings; throws IllegalArgumentException naming a bad one. */
    public static IpRanges parse(List<String> cidrs) {
        List<Range> ranges = new ArrayList<>(cidrs.size());
        for (String cidr : cidrs) {
            ranges.add(range(cidr));
        }
        return ranges.isEmpty() ? NONE : new IpRanges(List.copyOf(ranges));
    }

    /** The text is an IP literal, optionally with a prefix length that fits it; null when it is not. */
    public static String check(String cidr) {
        try {
            range(cidr);
            return cidr;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Range range(String cidr) {
        int slash = cidr.indexOf('/');
        String host = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] address = literal(host);
        int prefix = address.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR: " + cidr);
            }
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("prefix out of range: " + cidr);
            }
        }
        return new Range(address, prefix);
    }

    /**
     * Parses an IP literal only, never a host name: {@code InetAddress.getByName} would send text
     * such as {@code 999.1.1.1} to DNS, on the I/O thread. IPv4 is strict dotted-quad decimal; a
     * leading zero ({@code 010.0.0.1}, octal to some parsers) is refused as ambiguous. IPv4-mapped
     * IPv6 ({@code ::ffff:192.0.2.1}) comes back as the 4-byte IPv4 address.
     */
    static byte[] literal(String host) {
        if (host.indexOf(':') < 0) {
            byte[] ipv4 = ipv4(host);
            if (ipv4 == null) {
                throw new IllegalArgumentException("not an IP address: " + host);
            }
            return ipv4;
        }
        if (!host.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP address: " + host);
        }
        try {
            // With a colon in it the text is parsed as an IPv6 literal or refused, never looked up.
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host, e);
        }
    }

    /** Four decimal parts of 0 to 255 without leading zeros; {@code null} for anything else. */
    private static byte[] ipv4(String text) {
        byte[] address = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return null;
                }
                value = (digits == 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && part < 4) {
                address[part++] = (byte) value;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? address : null;
    }

    /** The address of an IP literal, or {@code null} when the text is none; never a DNS lookup. */
    public static InetAddress address(String text) {
        try {
            return InetAddress.getByAddress(literal(text.trim()));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return null;
        }
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(byte[] address) {
        for (Range range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** True when the text is an IP literal inside one of the ranges; false for anything else. */
    public boolean containsLiteral(String text) {
        try {
            return contains(literal(text.trim()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
