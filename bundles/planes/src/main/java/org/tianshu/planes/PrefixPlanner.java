package org.tianshu.planes;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.AddressFamily;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneSite;

/**
 * Plans a plane's prefixes out of the {@link Pools}, hierarchically: a block per plane and family, the first one free
 * in the pool, then a prefix per site, the first one free in the block. Nothing held by another plane overlaps, kept
 * prefixes of migrated sites included; a plane keeps what it holds across changes (a site keeps its prefix) and what
 * it no longer needs is released with it. All prefix maths is the IPAddress library's.
 */
final class PrefixPlanner {
    private final Pools pools;

    PrefixPlanner(Pools pools) {
        this.pools = pools;
    }

    /**
     * Every prefix {@code intent}'s plane needs, given what all planes hold now ({@code held}, this plane's own
     * prefixes included). INVALID naming the site field for a bad or overlapping kept prefix; CONFLICT when a pool or
     * block is full.
     */
    List<Prefix> plan(PlaneIntent intent, List<Prefix> held) {
        List<Prefix> out = new ArrayList<>();
        family(intent, held, 6, out);
        if (intent.addressFamily() == AddressFamily.DUAL_STACK) {
            family(intent, held, 4, out);
        } else {
            for (int i = 0; i < intent.sites().size(); i++) {
                if (intent.sites().get(i).keepIpv4Prefix() != null) {
                    throw TianshuException.invalid("sites[" + i + "].keepIpv4Prefix", "plane '" + intent.name()
                            + "' is IPv6-only: site '" + intent.sites().get(i).name() + "' cannot keep an IPv4 prefix");
                }
            }
        }
        return out;
    }

    private void family(PlaneIntent intent, List<Prefix> held, int family, List<Prefix> out) {
        String plane = intent.name();
        List<IPAddress> others = new ArrayList<>();
        List<Prefix> otherRows = new ArrayList<>();
        for (Prefix p : held) {
            if (p.family() == family && !p.plane().equals(plane)) {
                others.add(parse(p.prefix()));
                otherRows.add(p);
            }
        }
        // kept prefixes: valid, of this family, overlapping nothing held by others nor each other
        List<IPAddress> kept = new ArrayList<>();
        for (int i = 0; i < intent.sites().size(); i++) {
            PlaneSite s = intent.sites().get(i);
            String text = family == 6 ? s.keepIpv6Prefix() : s.keepIpv4Prefix();
            if (text == null) {
                continue;
            }
            String field = "sites[" + i + "]." + (family == 6 ? "keepIpv6Prefix" : "keepIpv4Prefix");
            IPAddress k = parse(text);
            if (k == null || (family == 6) != k.isIPv6() || k.getNetworkPrefixLength() == null || !k.isPrefixBlock()) {
                throw TianshuException.invalid(field, field + " must be an IPv" + family + " prefix with no host bits set, got '"
                        + text + "'");
            }
            for (int j = 0; j < others.size(); j++) {
                if (others.get(j).overlaps(k)) {
                    Prefix o = otherRows.get(j);
                    throw TianshuException.invalid(field, field + " " + k + " overlaps " + o.prefix() + " of plane '" + o.plane()
                            + "'" + (o.block() ? "" : " site '" + o.site() + "'"));
                }
            }
            for (int j = 0; j < kept.size(); j++) {
                if (kept.get(j).overlaps(k)) {
                    throw TianshuException.invalid(field, field + " " + k + " overlaps " + kept.get(j) + ", kept by another site");
                }
            }
            kept.add(k);
            out.add(new Prefix(k.toCompressedString(), family, plane, s.name(), true));
        }
        boolean needsBlock = intent.sites().stream().anyMatch(s -> (family == 6 ? s.keepIpv6Prefix() : s.keepIpv4Prefix()) == null);
        if (!needsBlock) {
            return;
        }
        IPAddress pool = family == 6 ? pools.ipv6() : pools.ipv4();
        int blockLength = family == 6 ? pools.ipv6Plane() : pools.ipv4Plane();
        int siteLength = family == 6 ? pools.ipv6Site() : pools.ipv4Site();
        IPAddress block = null;
        for (Prefix p : held) {
            if (p.family() == family && p.plane().equals(plane) && p.block()) {
                block = parse(p.prefix());
            }
        }
        if (block != null && overlapsAny(block, kept) != null) {
            throw TianshuException.invalid("sites", "a kept prefix " + overlapsAny(block, kept) + " overlaps the plane's own block "
                    + block);
        }
        if (block == null) {
            List<IPAddress> taken = new ArrayList<>(others);
            taken.addAll(kept);
            block = first(pool, blockLength, taken);
            if (block == null) {
                throw TianshuException.conflict("sites", "the IPv" + family + " pool " + pool + " has no free /" + blockLength
                        + " block left for plane '" + plane + "'");
            }
        }
        out.add(new Prefix(block.toCompressedString(), family, plane, null, false));
        // sites keep the prefix they hold inside the block; new sites get the first free one
        List<IPAddress> used = new ArrayList<>();
        List<PlaneSite> fresh = new ArrayList<>();
        for (PlaneSite s : intent.sites()) {
            if ((family == 6 ? s.keepIpv6Prefix() : s.keepIpv4Prefix()) != null) {
                continue;
            }
            IPAddress mine = null;
            for (Prefix p : held) {
                if (p.family() == family && p.plane().equals(plane) && s.name().equals(p.site()) && !p.kept()) {
                    IPAddress a = parse(p.prefix());
                    if (block.contains(a) && a.getNetworkPrefixLength() == siteLength) {
                        mine = a;
                    }
                }
            }
            if (mine == null) {
                fresh.add(s);
            } else {
                used.add(mine);
                out.add(new Prefix(mine.toCompressedString(), family, plane, s.name(), false));
            }
        }
        // a prefix this plane gives up in this change is not handed to another of its sites before the change commits
        for (Prefix p : held) {
            if (p.family() == family && p.plane().equals(plane) && !p.block() && !p.kept()) {
                used.add(parse(p.prefix()));
            }
        }
        for (PlaneSite s : fresh) {
            IPAddress p = first(block, siteLength, used);
            if (p == null) {
                throw TianshuException.conflict("sites", "plane '" + plane + "' block " + block + " has no free /" + siteLength
                        + " left for site '" + s.name() + "' (" + (1L << Math.min(62, siteLength - blockLength)) + " sites per block)");
            }
            used.add(p);
            out.add(new Prefix(p.toCompressedString(), family, plane, s.name(), false));
        }
    }

    /**
     * The first prefix of {@code length} inside {@code range} that overlaps nothing in {@code taken}, or null. Prefix
     * blocks are either disjoint or nested, so the maximal taken blocks are disjoint ranges: each candidate is checked
     * against its neighbour in a sorted map, and a taken candidate skips to the end of the block that covers it.
     */
    private static IPAddress first(IPAddress range, int length, List<IPAddress> taken) {
        TreeMap<BigInteger, BigInteger> blocks = new TreeMap<>();
        for (IPAddress t : taken) {
            BigInteger lo = t.getLower().getValue();
            BigInteger hi = t.getUpper().getValue();
            Map.Entry<BigInteger, BigInteger> cover = blocks.floorEntry(lo);
            if (cover != null && cover.getValue().compareTo(hi) >= 0) {
                continue;
            }
            blocks.subMap(lo, true, hi, true).clear();
            blocks.put(lo, hi);
        }
        IPAddress candidate = range.setPrefixLength(length, false).getLower().toPrefixBlock(length);
        BigInteger end = range.getUpper().getValue();
        BigInteger step = BigInteger.ONE.shiftLeft(candidate.getBitCount() - length);
        while (true) {
            BigInteger lo = candidate.getLower().getValue();
            BigInteger hi = candidate.getUpper().getValue();
            if (hi.compareTo(end) > 0) {
                return null;
            }
            Map.Entry<BigInteger, BigInteger> near = blocks.floorEntry(hi);
            if (near == null || near.getValue().compareTo(lo) < 0) {
                return candidate;
            }
            // the next candidate at or after the end of the taken block
            BigInteger next = near.getValue().add(BigInteger.ONE);
            BigInteger aligned = next.add(step).subtract(BigInteger.ONE).divide(step).multiply(step);
            if (aligned.compareTo(end) > 0) {
                return null;
            }
            candidate = address(candidate, aligned).toPrefixBlock(length);
        }
    }

    private static IPAddress address(IPAddress like, BigInteger value) {
        return like.isIPv6() ? new inet.ipaddr.ipv6.IPv6Address(value)
                : new inet.ipaddr.ipv4.IPv4Address(value.intValue());
    }

    private static IPAddress overlapsAny(IPAddress a, List<IPAddress> taken) {
        for (IPAddress t : taken) {
            if (t.overlaps(a)) {
                return t;
            }
        }
        return null;
    }

    static IPAddress parse(String text) {
        return text == null ? null : new IPAddressString(text.trim()).getAddress();
    }
}
