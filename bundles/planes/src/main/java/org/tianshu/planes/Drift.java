package org.tianshu.planes;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;

/**
 * The differences between a planned realisation and what a controller reads back from the network. Only what a
 * network can hold is compared: sites (attachment, prefixes, decap SID) and policies (ends, segments, backup), not the
 * path annotations a read-back cannot know.
 */
final class Drift {
    private Drift() {
    }

    /** One line per difference; empty when the network carries the plan. {@code actual} null: not in the network. */
    static List<String> between(PlaneRealisation planned, PlaneRealisation actual) {
        List<String> out = new ArrayList<>();
        if (actual == null) {
            out.add("plane " + planned.plane() + " is not in the network");
            return out;
        }
        if (planned.table() != actual.table()) {
            out.add("table " + actual.table() + " in the network, " + planned.table() + " planned");
        }
        diff(out, "site", sites(planned), sites(actual));
        diff(out, "policy", policies(planned), policies(actual));
        return out;
    }

    private static void diff(List<String> out, String what, Set<String> planned, Set<String> actual) {
        for (String p : planned) {
            if (!actual.contains(p)) {
                out.add("missing " + what + " " + p);
            }
        }
        for (String a : actual) {
            if (!planned.contains(a)) {
                out.add("unplanned " + what + " " + a);
            }
        }
    }

    private static Set<String> sites(PlaneRealisation r) {
        Set<String> s = new TreeSet<>();
        for (SiteBinding b : r.sites()) {
            s.add(b.site() + " at " + b.attachment() + " " + b.ipv6Prefix() + (b.ipv4Prefix() == null ? "" : " " + b.ipv4Prefix())
                    + " decap " + b.decapSid());
        }
        return s;
    }

    private static Set<String> policies(PlaneRealisation r) {
        Set<String> s = new TreeSet<>();
        for (SrPolicy p : r.policies()) {
            s.add(p.from() + " -> " + p.to() + (p.backup() ? " (backup)" : "") + " " + p.segments());
        }
        return s;
    }
}
