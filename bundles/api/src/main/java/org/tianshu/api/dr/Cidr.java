package org.tianshu.api.dr;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.math.BigInteger;
import org.tianshu.api.TianshuException;

/**
 * An IPv4 or IPv6 subnet in CIDR notation ({@code 10.20.0.0/24}), as network mappings use it to customise
 * the addresses of recovered workloads. Only literal addresses are accepted (never a host name to resolve). The
 * prefix maths is the IPAddress library's, as in the plane planner.
 */
public final class Cidr {
    private final IPAddress block;

    private Cidr(IPAddress block) {
        this.block = block;
    }

    /** Parses {@code text}; INVALID naming {@code field} unless it is an address, a slash and a prefix length. */
    public static Cidr parse(String field, String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw TianshuException.invalid(field, field + " must be a subnet such as 10.20.0.0/24, got '" + text + "'");
        }
        IPAddress address = address(field, text.substring(0, slash));
        int bits = address.getBitCount();
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw TianshuException.invalid(field, field + " '" + text + "' needs a prefix length of 0 to " + bits);
        }
        IPAddress block = address.setPrefixLength(prefix, false).toPrefixBlock();
        if (!block.getLower().withoutPrefixLength().equals(address)) {
            throw TianshuException.invalid(field, field + " '" + text + "' has host bits set; the subnet is " + new Cidr(block));
        }
        return new Cidr(block);
    }

    /** Checks that {@code text} is a literal IPv4 or IPv6 address; INVALID naming {@code field} if not. */
    public static String address(String field, String text, Cidr within) {
        IPAddress a = address(field, text);
        if (within != null && !within.contains(a)) {
            throw TianshuException.invalid(field, field + " '" + text + "' is outside the recovery subnet " + within);
        }
        return a.toNormalizedString();
    }

    /** The prefix length. */
    public int prefix() {
        return block.getNetworkPrefixLength();
    }

    /** True if both are IPv4 or both IPv6. */
    public boolean sameFamily(Cidr other) {
        return block.getIPVersion() == other.block.getIPVersion();
    }

    /** True if literal address {@code address} lies in this subnet (false for anything that is not an address). */
    public boolean contains(String address) {
        try {
            return contains(address("address", address));
        } catch (TianshuException e) {
            return false;
        }
    }

    /**
     * {@code address} (inside this subnet) moved into {@code to}, keeping its host part: 10.10.0.7 of
     * 10.10.0.0/24 is 10.20.0.7 of 10.20.0.0/24. Null if the address is not in this subnet, or if the host part
     * does not fit into {@code to}.
     */
    public String translate(String address, Cidr to) {
        if (!contains(address) || !sameFamily(to)) {
            return null;
        }
        IPAddress a = address("address", address);
        BigInteger host = a.getValue().subtract(block.getValue());
        BigInteger room = to.block.getUpperValue().subtract(to.block.getValue());
        if (host.compareTo(room) > 0) {
            return null;
        }
        return to.block.getLower().withoutPrefixLength().increment(host).toNormalizedString();
    }

    private boolean contains(IPAddress a) {
        return a.getIPVersion() == block.getIPVersion() && block.contains(a);
    }

    /** A literal address without prefix length; the parser never resolves names. */
    private static IPAddress address(String field, String text) {
        IPAddress a = text == null ? null : new IPAddressString(text).getAddress();
        if (a == null || a.isPrefixed()) {
            throw TianshuException.invalid(field, field + " must be an IPv4 or IPv6 address, got '" + text + "'");
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.block.equals(block);
    }

    @Override
    public int hashCode() {
        return block.hashCode();
    }

    /** The subnet in CIDR notation. */
    @Override
    public String toString() {
        return block.getLower().withoutPrefixLength().toNormalizedString() + "/" + prefix();
    }
}
