package org.tianshu.adapter.srv6;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.List;

/**
 * One piece of a plane's kernel configuration in one namespace, as the iproute2 batch lines that create and delete it.
 * The same object read back from the kernel renders the same {@code add} line, so the difference between what a plane
 * has and what it should have is a set difference on {@link #id()} and {@code add}.
 *
 * @param namespace where it lives
 * @param family    the address family its batch runs with (4 or 6; links and seg6local routes go with 6)
 * @param kind      what it is; creation follows this order, deletion the reverse
 * @param key       what identifies it within the namespace and family
 * @param add       the batch line that creates it
 * @param del       the batch line that deletes it
 */
record KernelObject(String namespace, int family, Kind kind, String key, String add, String del) {

    /** Kinds in creation order. */
    enum Kind {
        /** The port's alias {@code tianshu:<plane>/<site>}: marks the port's owner; first in, last out. */
        ALIAS, RULE, ADDRESS, ROUTE, SID, HOST_ADDRESS, HOST_ROUTE;

        boolean onHost() {
            return this == HOST_ADDRESS || this == HOST_ROUTE;
        }
    }

    static final String ALIAS_PREFIX = "tianshu:";
    /** Priority of the rules that send a port's traffic to its plane's table (the lab's SID rule has 900). */
    static final int RULE_PRIORITY = 1000;
    static final int METRIC_PRIMARY = 100;
    static final int METRIC_BACKUP = 200;
    /** A primary whose path crosses a link that is down: the backup (200) wins, the primary stays configured. */
    static final int METRIC_PRIMARY_DOWN = 300;

    String id() {
        return namespace + " -" + family + " " + key;
    }

    static KernelObject alias(String ns, String port, String plane, String site) {
        return new KernelObject(ns, 6, Kind.ALIAS, "alias " + port,
                "link set dev " + port + " alias " + ALIAS_PREFIX + plane + "/" + site, "link set dev " + port + " alias \"\"");
    }

    static KernelObject rule(String ns, int family, String port, long table) {
        String r = "iif " + port + " lookup " + table + " pref " + RULE_PRIORITY;
        return new KernelObject(ns, family, Kind.RULE, "rule " + port, "rule add " + r, "rule del " + r);
    }

    /** The provider edge's gateway address on a port (no prefix route: the prefix lives in the plane's table). */
    static KernelObject address(String ns, int family, String port, String addressWithLength) {
        return new KernelObject(ns, family, Kind.ADDRESS, "address " + port + " " + addressWithLength,
                "address add " + addressWithLength + " dev " + port + (family == 6 ? " nodad" : "") + " noprefixroute",
                "address del " + addressWithLength + " dev " + port);
    }

    static KernelObject unreachable(String ns, int family, long table) {
        String r = "unreachable default table " + table;
        return new KernelObject(ns, family, Kind.ROUTE, "route " + table + " default", "route add " + r, "route del " + r);
    }

    static KernelObject connected(String ns, int family, String prefix, String port, long table) {
        String r = prefix + " dev " + port + " table " + table;
        return new KernelObject(ns, family, Kind.ROUTE, "route " + table + " " + prefix, "route add " + r, "route del " + r);
    }

    /** H.Encaps towards a prefix: a primary (metric 100, or 300 when its path is down) or a backup (200). */
    static KernelObject encap(String ns, int family, String prefix, List<String> segments, String port, long table, int metric) {
        return new KernelObject(ns, family, Kind.ROUTE,
                "route " + table + " " + prefix + (metric == METRIC_BACKUP ? " backup" : " primary"),
                "route add " + prefix + " encap seg6 mode encap segs " + String.join(",", segments) + " dev " + port
                        + " table " + table + " metric " + metric,
                "route del " + prefix + " table " + table + " metric " + metric);
    }

    /** End.DT6 (legacy {@code table} form, no VRF needed) decapsulating into the plane's table. */
    static KernelObject dt6(String ns, String sid, long table, String port) {
        return new KernelObject(ns, 6, Kind.SID, "sid " + sid,
                "route add " + sid + "/128 encap seg6local action End.DT6 table " + table + " dev " + port,
                "route del " + sid + "/128");
    }

    /** End.DX4 cross-connecting decapsulated IPv4 to the site's host (End.DT4/DT46 need a VRF device). */
    static KernelObject dx4(String ns, String sid, String host, String port) {
        return new KernelObject(ns, 6, Kind.SID, "sid " + sid,
                "route add " + sid + "/128 encap seg6local action End.DX4 nh4 " + host + " dev " + port,
                "route del " + sid + "/128");
    }

    /** The main-table route End.DX4 needs to reach its next hop (it looks nh4 up as if from the uplink). */
    static KernelObject hostRoute(String ns, String host, String port) {
        String r = host + "/32 dev " + port;
        return new KernelObject(ns, 4, Kind.SID, "route main " + host + "/32", "route add " + r, "route del " + r);
    }

    static KernelObject hostAddress(String ns, int family, String addressWithLength) {
        return new KernelObject(ns, family, Kind.HOST_ADDRESS, "address " + addressWithLength,
                "address add " + addressWithLength + " dev eth0" + (family == 6 ? " nodad" : ""),
                "address del " + addressWithLength + " dev eth0");
    }

    static KernelObject hostDefault(String ns, int family, String gateway) {
        String r = "default via " + gateway + " dev eth0";
        return new KernelObject(ns, family, Kind.HOST_ROUTE, "route default", "route add " + r, "route del " + r);
    }

    /** An address or prefix as the kernel prints it or a user writes it, in canonical form with its length. */
    static String prefix(String text) {
        IPAddress a = new IPAddressString(text).getAddress();
        if (a == null) {
            throw new IllegalArgumentException("not an IP address or prefix: " + text);
        }
        if (!a.isPrefixed()) {
            a = a.setPrefixLength(a.getBitCount(), false);
        }
        return a.toCanonicalString();
    }

    /** An address in canonical form, without length. */
    static String address(String text) {
        IPAddress a = new IPAddressString(text).getAddress();
        if (a == null) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        return a.withoutPrefixLength().toCanonicalString();
    }
}
