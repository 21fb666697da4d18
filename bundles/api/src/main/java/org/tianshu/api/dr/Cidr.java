package org.tianshu.api.dr;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.tianshu.api.TianshuException;

/**
 * An IPv4 or IPv6 subnet in CIDR notation ({@code 10.20.0.0/24}), as network mappings use it to customise
 * the addresses of recovered workloads. Only literal addresses are accepted (never a host name to resolve).
 */
public final class Cidr {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final BigInteger network;
    private final int prefix;
    private final int bits;

    private Cidr(BigInteger network, int prefix, int bits) {
        this.network = network;
        this.prefix = prefix;
        this.bits = bits;
    }

    /** Parses {@code text}; INVALID naming {@code field} unless it is an address, a slash and a prefix length. */
    public static Cidr parse(String field, String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw TianshuException.invalid(field, field + " must be a subnet such as 10.20.0.0/24, got '" + text + "'");
        }
        byte[] address = address(field, text.substring(0, slash));
        int bits = address.length * 8;
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw TianshuException.invalid(field, field + " '" + text + "' needs a prefix length of 0 to " + bits);
        }
        BigInteger value = new BigInteger(1, address);
        BigInteger network = value.and(mask(prefix, bits));
        if (!network.equals(value)) {
            throw TianshuException.invalid(field, field + " '" + text + "' has host bits set; the subnet is "
                    + format(network, bits) + "/" + prefix);
        }
        return new Cidr(network, prefix, bits);
    }

    /** Checks that {@code text} is a literal IPv4 or IPv6 address; INVALID naming {@code field} if not. */
    public static String address(String field, String text, Cidr within) {
        byte[] a = address(field, text);
        if (within != null && !within.contains(a)) {
            throw TianshuException.invalid(field, field + " '" + text + "' is outside the recovery subnet " + within);
        }
        return format(new BigInteger(1, a), a.length * 8);
    }

    /** The prefix length. */
    public int prefix() {
        return prefix;
    }

    /** True if both are IPv4 or both IPv6. */
    public boolean sameFamily(Cidr other) {
        return bits == other.bits;
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
        BigInteger host = new BigInteger(1, address("address", address)).andNot(mask(prefix, bits));
        if (host.bitLength() > to.bits - to.prefix) {
            return null;
        }
        return format(to.network.or(host), to.bits);
    }

    private boolean contains(byte[] a) {
        return a.length * 8 == bits && new BigInteger(1, a).and(mask(prefix, bits)).equals(network);
    }

    private static byte[] address(String field, String text) {
        if (text == null || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            throw TianshuException.invalid(field, field + " must be an IPv4 or IPv6 address, got '" + text + "'");
        }
        try {
            return InetAddress.getByName(text).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw TianshuException.invalid(field, field + " must be an IPv4 or IPv6 address, got '" + text + "'");
        }
    }

    private static BigInteger mask(int prefix, int bits) {
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
    }

    private static String format(BigInteger value, int bits) {
        byte[] raw = value.toByteArray();
        byte[] a = new byte[bits / 8];
        int n = Math.min(raw.length, a.length);
        System.arraycopy(raw, raw.length - n, a, a.length - n, n);
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.bits == bits && c.prefix == prefix && c.network.equals(network);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + prefix;
    }

    /** The subnet in CIDR notation. */
    @Override
    public String toString() {
        return format(network, bits) + "/" + prefix;
    }
}
