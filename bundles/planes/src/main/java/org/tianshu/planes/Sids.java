package org.tianshu.planes;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Router;

/** The SRv6 SID convention of {@link Router}: End SID {@code locator::1}, decap SID of table T {@code locator::d:T}. */
final class Sids {
    /** The offset of decapsulation SIDs inside a locator; the table number is added to it. */
    static final long DECAP_BASE = 0xd0000L;
    /** The largest table a decap SID can carry without leaving the {@code ::d:T} form. */
    static final int MAX_TABLE = 0xffff;

    private Sids() {
    }

    /** The router's End SID. */
    static String end(Router router) {
        return base(router).increment(1).toCompressedString();
    }

    /** The decapsulation SID of plane table {@code table} at the router. */
    static String decap(Router router, int table) {
        return base(router).increment(DECAP_BASE + table).toCompressedString();
    }

    private static IPAddress base(Router router) {
        IPAddress locator = new IPAddressString(router.locator()).getAddress();
        if (locator == null || !locator.isIPv6() || locator.getNetworkPrefixLength() == null
                || locator.getNetworkPrefixLength() > 108) {
            throw TianshuException.invalid("locator", "router '" + router.id() + "' has locator '" + router.locator()
                    + "': an IPv6 prefix of length 108 or less is required for its SIDs");
        }
        return locator.toPrefixBlock().getLower().withoutPrefixLength();
    }
}
