package org.tianshu.planes;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * The province's address pools and how they are cut: a block per plane, a prefix per site inside it.
 *
 * @param ipv6      IPv6 pool
 * @param ipv6Plane prefix length of a plane's IPv6 block
 * @param ipv6Site  prefix length of a site's IPv6 prefix
 * @param ipv4      IPv4 pool for dual-stack planes
 * @param ipv4Plane prefix length of a plane's IPv4 block
 * @param ipv4Site  prefix length of a site's IPv4 prefix
 */
public record Pools(IPAddress ipv6, int ipv6Plane, int ipv6Site, IPAddress ipv4, int ipv4Plane, int ipv4Site) {

    /** Parses and checks the configuration; {@link IllegalArgumentException} naming the key. */
    public static Pools of(String ipv6Pool, int ipv6Plane, int ipv6Site, String ipv4Pool, int ipv4Plane, int ipv4Site) {
        IPAddress v6 = pool("ipv6Pool", ipv6Pool, true);
        IPAddress v4 = pool("ipv4Pool", ipv4Pool, false);
        lengths("ipv6", v6, ipv6Plane, ipv6Site, 128);
        lengths("ipv4", v4, ipv4Plane, ipv4Site, 32);
        return new Pools(v6, ipv6Plane, ipv6Site, v4, ipv4Plane, ipv4Site);
    }

    private static IPAddress pool(String key, String text, boolean v6) {
        IPAddress a = new IPAddressString(text == null ? "" : text.trim()).getAddress();
        if (a == null || a.isIPv6() != v6 || a.getNetworkPrefixLength() == null || !a.isPrefixBlock()) {
            throw new IllegalArgumentException(key + ": an " + (v6 ? "IPv6" : "IPv4") + " prefix such as "
                    + (v6 ? "fd10::/32" : "10.128.0.0/12") + " is required, got '" + text + "'");
        }
        return a;
    }

    private static void lengths(String family, IPAddress pool, int plane, int site, int bits) {
        if (plane <= pool.getNetworkPrefixLength() || site <= plane || site > bits) {
            throw new IllegalArgumentException(family + "PlanePrefixLength and " + family + "SitePrefixLength: need "
                    + pool.getNetworkPrefixLength() + " < plane (" + plane + ") < site (" + site + ") <= " + bits);
        }
    }
}
