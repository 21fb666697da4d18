package org.tianshu.adapter.srv6;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv6.IPv6Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;

/**
 * What a plane needs in the kernel, checked against the lab and against the other planes.
 *
 * <p>On each provider edge: the site's port gets the alias {@code tianshu:<plane>/<site>}, the gateway address (the
 * prefix's second address) without prefix route, and rules {@code iif <port> lookup <table>}; the plane's table holds
 * the site's prefix on the port, {@code unreachable default}, and one H.Encaps route per SR policy towards the
 * destination site's prefix (primary metric 100, or 300 while a link of its path is down; backup 200). The site's
 * decapsulation SID is End.DT6 into the plane's table. Dual stack: IPv4 gets the same rules and routes, and the site a
 * second SID, End.DX4 to its host: the decap SID with bit {@code ::4:0:0} set (this kernel's End.DT4/DT46 need a VRF
 * device); IPv4 policies use it as their last segment. The host behind the port gets the prefix's first address and
 * a default route to the gateway.
 */
final class PlaneRenderer {
    private static final Pattern NAME = Pattern.compile("[^\\s/:\"'\\\\]{1,100}");
    private final LabTopology lab;

    PlaneRenderer(LabTopology lab) {
        this.lab = lab;
    }

    /** Kernel objects of the plane; INVALID, NOT_FOUND or CONFLICT naming the field when it cannot be realised. */
    List<KernelObject> render(PlaneRealisation p, Snapshot now) {
        if (p == null) {
            throw TianshuException.invalid("plane", "a plane realisation is required");
        }
        if (p.plane() == null || !NAME.matcher(p.plane()).matches()) {
            throw TianshuException.invalid("plane", "must be 1 to 100 characters without blanks, quotes, '/' or ':', got " + p.plane());
        }
        if (p.table() < 1 || p.table() > 250_000 || p.table() >= 253 && p.table() <= 255) {
            throw TianshuException.invalid("table", "must be 1 to 250000 and not 253-255 (the kernel's default, main and local tables), got " + p.table());
        }
        String owner = now.tableOwners().get((long) p.table());
        if (owner != null && !owner.equals(p.plane())) {
            throw TianshuException.conflict("table", "table " + p.table() + " belongs to plane " + owner);
        }
        Map<String, Site> sites = new LinkedHashMap<>();
        Set<Attachment> ports = new HashSet<>();
        Set<String> ownKeys = new HashSet<>();
        now.objects(p.plane()).forEach(o -> ownKeys.add(o.key()));
        for (int i = 0; i < p.sites().size(); i++) {
            Site s = site(p, i, now, ownKeys);
            if (sites.put(s.name, s) != null) {
                throw TianshuException.invalid("sites[" + i + "].site", "two sites are named " + s.name);
            }
            if (!ports.add(s.attachment)) {
                throw TianshuException.invalid("sites[" + i + "].attachment", "two sites attach to " + s.attachment);
            }
        }
        Map<String, KernelObject> out = new LinkedHashMap<>();
        Map<String, String> firstPort = new TreeMap<>();
        for (Site s : sites.values()) {
            firstPort.merge(s.attachment.router(), s.attachment.port(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        for (Site s : sites.values()) {
            String ns = lab.routerNamespace(s.attachment.router());
            String port = s.attachment.port();
            String host = lab.hostNamespace(s.attachment);
            put(out, KernelObject.alias(ns, port, p.plane(), s.name), "sites");
            put(out, KernelObject.rule(ns, 6, port, p.table()), "sites");
            put(out, KernelObject.address(ns, 6, port, s.gateway6), "sites");
            put(out, KernelObject.unreachable(ns, 6, p.table()), "sites");
            put(out, KernelObject.connected(ns, 6, s.prefix6, port, p.table()), "sites");
            put(out, KernelObject.dt6(ns, s.sid6, p.table(), port), "sites");
            put(out, KernelObject.hostAddress(host, 6, s.host6), "sites");
            put(out, KernelObject.hostDefault(host, 6, address(s.gateway6)), "sites");
            if (s.prefix4 != null) {
                put(out, KernelObject.rule(ns, 4, port, p.table()), "sites");
                put(out, KernelObject.address(ns, 4, port, s.gateway4), "sites");
                put(out, KernelObject.unreachable(ns, 4, p.table()), "sites");
                put(out, KernelObject.connected(ns, 4, s.prefix4, port, p.table()), "sites");
                put(out, KernelObject.dx4(ns, s.sid4, address(s.host4), port), "sites");
                put(out, KernelObject.hostRoute(ns, address(s.host4), port), "sites");
                put(out, KernelObject.hostAddress(host, 4, s.host4), "sites");
                put(out, KernelObject.hostDefault(host, 4, address(s.gateway4)), "sites");
            }
        }
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < p.policies().size(); i++) {
            SrPolicy pol = p.policies().get(i);
            String field = "policies[" + i + "]";
            Site from = known(sites, pol.from(), field + ".from");
            Site to = known(sites, pol.to(), field + ".to");
            if (from == to) {
                throw TianshuException.invalid(field + ".to", "a policy from " + from.name + " to itself");
            }
            if (!pairs.add(from.name + ">" + to.name + (pol.backup() ? " backup" : ""))) {
                throw TianshuException.invalid(field, "a second " + (pol.backup() ? "backup" : "primary") + " from "
                        + from.name + " to " + to.name);
            }
            List<String> segs = segments(pol, field);
            if (!segs.get(segs.size() - 1).equals(to.sid6)) {
                throw TianshuException.invalid(field + ".segments", "must end with " + to.name + "'s decap SID "
                        + to.sid6 + ", ends with " + segs.get(segs.size() - 1));
            }
            int metric = pol.backup() ? KernelObject.METRIC_BACKUP
                    : pathUp(pol, now) ? KernelObject.METRIC_PRIMARY : KernelObject.METRIC_PRIMARY_DOWN;
            String ns = lab.routerNamespace(from.attachment.router());
            String port = firstPort.get(from.attachment.router());
            put(out, KernelObject.encap(ns, 6, to.prefix6, segs, port, p.table(), metric), field);
            if (from.prefix4 != null && to.prefix4 != null) {
                List<String> segs4 = new ArrayList<>(segs.subList(0, segs.size() - 1));
                segs4.add(to.sid4);
                put(out, KernelObject.encap(ns, 4, to.prefix4, segs4, port, p.table(), metric), field);
            }
        }
        return List.copyOf(out.values());
    }

    /** Adds an object; the same object twice is fine (e.g. a table shared by two sites), two versions of it are not. */
    private static void put(Map<String, KernelObject> out, KernelObject o, String field) {
        KernelObject before = out.putIfAbsent(o.id(), o);
        if (before != null && !before.add().equals(o.add())) {
            throw TianshuException.invalid(field, "conflicting configuration in " + o.namespace() + ": " + before.add()
                    + " and " + o.add() + " (sites of one plane on one router share its table)");
        }
    }

    private static boolean pathUp(SrPolicy pol, Snapshot now) {
        return pol.path() == null || pol.path().links().stream().allMatch(now::linkUp);
    }

    private List<String> segments(SrPolicy pol, String field) {
        if (pol.segments().isEmpty()) {
            throw TianshuException.invalid(field + ".segments", "must not be empty");
        }
        List<String> out = new ArrayList<>();
        for (String s : pol.segments()) {
            IPAddress a = s == null ? null : new IPAddressString(s).getAddress();
            if (a == null || !a.isIPv6() || a.isPrefixed() || lab.owner(a).isEmpty()) {
                throw TianshuException.invalid(field + ".segments", "must be SIDs out of the routers' locators, got " + s);
            }
            out.add(a.toCanonicalString());
        }
        return out;
    }

    private static Site known(Map<String, Site> sites, String name, String field) {
        Site s = sites.get(name);
        if (s == null) {
            throw TianshuException.notFound(field, "site", String.valueOf(name));
        }
        return s;
    }

    private record Site(String name, Attachment attachment, String prefix6, String gateway6, String host6, String sid6,
            String prefix4, String gateway4, String host4, String sid4) {
    }

    private Site site(PlaneRealisation p, int i, Snapshot now, Set<String> ownKeys) {
        SiteBinding s = p.sites().get(i);
        String f = "sites[" + i + "]";
        if (s.site() == null || !NAME.matcher(s.site()).matches()) {
            throw TianshuException.invalid(f + ".site", "must be 1 to 100 characters without blanks, quotes, '/' or ':', got " + s.site());
        }
        Attachment a = s.attachment();
        if (a == null || !lab.attachments().contains(a)) {
            throw TianshuException.notFound(f + ".attachment", "attachment", String.valueOf(a));
        }
        now.binding(a).filter(b -> !b.plane().equals(p.plane())).ifPresent(b -> {
            throw TianshuException.conflict(f + ".attachment", a + " is bound to plane " + b.plane() + " (site " + b.site() + ")");
        });
        IPAddress v6 = block(s.ipv6Prefix(), true, f + ".ipv6Prefix");
        IPAddress v4 = s.ipv4Prefix() == null ? null : block(s.ipv4Prefix(), false, f + ".ipv4Prefix");
        IPAddress sid = s.decapSid() == null ? null : new IPAddressString(s.decapSid()).getAddress();
        if (sid == null || !sid.isIPv6() || sid.isPrefixed()) {
            throw TianshuException.invalid(f + ".decapSid", "must be an IPv6 address, got " + s.decapSid());
        }
        if (!lab.locators().get(a.router()).contains(sid)) {
            throw TianshuException.invalid(f + ".decapSid", sid + " is not in " + a.router() + "'s locator "
                    + lab.locators().get(a.router()).toCanonicalString());
        }
        String sid4 = null;
        if (v4 != null) {
            byte[] b = sid.getBytes();
            if ((b[11] & 4) != 0) {
                throw TianshuException.invalid(f + ".decapSid", "dual-stack sites need a decap SID with bit ::4:0:0 clear "
                        + "(set, it is the site's IPv4 SID), got " + sid);
            }
            b[11] |= 4;
            sid4 = new IPv6Address(b).toCanonicalString();
        }
        String sid6 = sid.toCanonicalString();
        for (String one : sid4 == null ? List.of(sid6) : List.of(sid6, sid4)) {
            if (!ownKeys.contains("sid " + one) && now.sidInstalled(a.router(), one)) {
                throw TianshuException.conflict(f + ".decapSid", one + " is already a SID on " + a.router());
            }
        }
        return new Site(s.site(), a, v6.toCanonicalString(), nth(v6, 2), nth(v6, 1), sid6,
                v4 == null ? null : v4.toCanonicalString(), v4 == null ? null : nth(v4, 2), v4 == null ? null : nth(v4, 1), sid4);
    }

    private static IPAddress block(String text, boolean v6, String field) {
        IPAddress a = text == null ? null : new IPAddressString(text).getAddress();
        if (a == null || a.isIPv6() != v6 || !a.isPrefixed() || !a.isPrefixBlock()) {
            throw TianshuException.invalid(field, "must be an IPv" + (v6 ? 6 : 4) + " prefix without host bits, e.g. "
                    + (v6 ? "2409:8000:1:100::/56" : "10.16.1.0/24") + ", got " + text);
        }
        if (a.getPrefixLength() > a.getBitCount() - 2) {
            throw TianshuException.invalid(field, "needs room for a host and a gateway address, at most /"
                    + (a.getBitCount() - 2) + ", got " + text);
        }
        return a;
    }

    /** The prefix's n-th address with the prefix's length, e.g. 10.16.1.2/24. */
    private static String nth(IPAddress block, int n) {
        return block.getLower().withoutPrefixLength().increment(n).setPrefixLength(block.getPrefixLength(), false)
                .toCanonicalString();
    }

    private static String address(String withLength) {
        return KernelObject.address(withLength);
    }
}
