package org.tianshu.planes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tianshu.api.plane.Path;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PlaneChange;
import org.tianshu.api.plane.PlaneChange.Kind;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneSite;

/** What a change of a plane adds, changes and removes: plane settings, sites, prefixes, paths. */
final class Diffs {
    private Diffs() {
    }

    static List<PlaneChange> created(PlaneIntent intent, int table, List<Prefix> prefixes, List<PathAnswer> answers) {
        List<PlaneChange> out = new ArrayList<>();
        out.add(new PlaneChange(Kind.ADDED, "plane", intent.name(), null, "table " + table + ", " + settings(intent)));
        out.addAll(changed(null, List.of(), List.of(), intent, prefixes, answers));
        return out;
    }

    static List<PlaneChange> changed(PlaneIntent before, List<Prefix> prefixesBefore, List<PathAnswer> pathsBefore, PlaneIntent after,
            List<Prefix> prefixesAfter, List<PathAnswer> pathsAfter) {
        List<PlaneChange> out = new ArrayList<>();
        if (before != null) {
            setting(out, "departments", after.name(), before.departments(), after.departments());
            setting(out, "connectivity", after.name(), before.connectivity() + hub(before), after.connectivity() + hub(after));
            setting(out, "isolation", after.name(), before.isolation(), after.isolation());
            setting(out, "bandwidth", after.name(), before.slo().minBandwidthMbps() + " Mbps", after.slo().minBandwidthMbps() + " Mbps");
            setting(out, "latency", after.name(), ms(before.slo().maxLatencyMs()), ms(after.slo().maxLatencyMs()));
            setting(out, "loss", after.name(), before.slo().maxLossPercent() + " %", after.slo().maxLossPercent() + " %");
            setting(out, "protection", after.name(), before.protection(), after.protection());
            setting(out, "addressFamily", after.name(), before.addressFamily(), after.addressFamily());
        }
        compare(out, "site", sites(before), sites(after));
        compare(out, "prefix", prefixes(prefixesBefore), prefixes(prefixesAfter));
        compare(out, "path", paths(pathsBefore), paths(pathsAfter));
        return out;
    }

    private static void setting(List<PlaneChange> out, String what, String plane, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            out.add(new PlaneChange(Kind.CHANGED, what, plane, String.valueOf(before), String.valueOf(after)));
        }
    }

    private static void compare(List<PlaneChange> out, String what, Map<String, String> before, Map<String, String> after) {
        before.forEach((k, v) -> {
            String a = after.get(k);
            if (a == null) {
                out.add(new PlaneChange(Kind.REMOVED, what, k, v, null));
            } else if (!a.equals(v)) {
                out.add(new PlaneChange(Kind.CHANGED, what, k, v, a));
            }
        });
        after.forEach((k, v) -> {
            if (!before.containsKey(k)) {
                out.add(new PlaneChange(Kind.ADDED, what, k, null, v));
            }
        });
    }

    private static Map<String, String> sites(PlaneIntent intent) {
        Map<String, String> m = new LinkedHashMap<>();
        if (intent != null) {
            for (PlaneSite s : intent.sites()) {
                m.put(s.name(), String.valueOf(s.attachment()));
            }
        }
        return m;
    }

    private static Map<String, String> prefixes(List<Prefix> prefixes) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Prefix p : prefixes) {
            m.put((p.block() ? "block" : p.site()) + " ipv" + p.family(), p.prefix() + (p.kept() ? " (kept)" : ""));
        }
        return m;
    }

    private static Map<String, String> paths(List<PathAnswer> answers) {
        Map<String, String> m = new LinkedHashMap<>();
        for (PathAnswer a : answers) {
            String id = a.id().substring(a.id().indexOf('/') + 1);
            m.put(id, path(a.primary()) + (a.backup() == null ? "" : ", backup " + path(a.backup())) + ", "
                    + a.request().bandwidthMbps() + " Mbps");
        }
        return m;
    }

    static String path(Path p) {
        return String.join(">", p.routers()) + " " + java.math.BigDecimal.valueOf(p.latencyMicros(), 3).stripTrailingZeros().toPlainString() + " ms";
    }

    private static String hub(PlaneIntent i) {
        return i.hub() == null ? "" : " hub " + i.hub();
    }

    private static String ms(double ms) {
        return ms == 0 ? "none" : ms + " ms";
    }

    private static String settings(PlaneIntent i) {
        return i.connectivity() + hub(i) + ", " + i.isolation() + ", " + i.slo().minBandwidthMbps() + " Mbps, latency "
                + ms(i.slo().maxLatencyMs()) + ", " + i.protection() + ", " + i.addressFamily() + ", departments " + i.departments();
    }
}
