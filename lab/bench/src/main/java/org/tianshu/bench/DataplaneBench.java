package org.tianshu.bench;

import static org.tianshu.bench.Bench.figure;
import static org.tianshu.bench.Bench.load;
import static org.tianshu.bench.Bench.median;
import static org.tianshu.bench.Bench.note;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tianshu.adapter.srv6.Srv6Dataplane;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PathRequest;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.Protection;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;
import org.tianshu.api.plane.Topology;
import org.tianshu.slicing.PathEngine;

/**
 * The {@code dataplane} scenario: the kernel SRv6 lab ({@code lab/srv6.sh}, rebuilt with
 * {@code SRV6_LAB_PORTS=bench.dataplane.ports} attachment ports per edge router) driven through
 * {@link Srv6Dataplane}. Builds {@code bench.dataplane.planes} dual-stack planes of {@code bench.dataplane.sites}
 * sites on different routers, full mesh, paths from the slicing engine (1+1 SRLG-disjoint where it finds a pair,
 * strict segment lists: every router's End SID, then the decap SID). Times applying them one by one, applying them
 * again (nothing changes), reading them back, removing them; and, with the link watcher running, the time from
 * setting a primary path's link down to the first probe answered over the backup.
 */
final class DataplaneBench {
    private final int planes = Integer.getInteger("bench.dataplane.planes", 50);
    private final int sitesPerPlane = Integer.getInteger("bench.dataplane.sites", 4);
    private final int ports = Integer.getInteger("bench.dataplane.ports", 34);
    private final int failures = Integer.getInteger("bench.dataplane.failures", 3);
    private final Path root;

    DataplaneBench(Path root) {
        this.root = root;
    }

    void run() throws Exception {
        Bench.lab(root, Map.of("SRV6_LAB_PORTS", String.valueOf(ports)), "srv6.sh", "up");
        try (Srv6Dataplane dp = Srv6Dataplane.open(Path.of("/var/tmp/tianshu-lab/srv6/topology.json"), "ts-",
                Duration.ofSeconds(60))) {
            dp.realised().forEach(p -> dp.remove(p.plane()));
            Topology topo = dp.topology();
            List<PlaneRealisation> all = planes(topo, dp.attachments());
            long policies = all.stream().mapToLong(p -> p.policies().size()).sum();
            figure("dataplane: lab of %d routers, %d links, %d attachment ports; %d planes x %d sites (dual stack), %d SR policies "
                    + "(%d backups), 2 cores, load %s", topo.routers().size(), topo.links().size(), dp.attachments().size(),
                    all.size(), sitesPerPlane, policies, all.stream().flatMap(p -> p.policies().stream()).filter(SrPolicy::backup).count(), load());

            List<Double> each = new ArrayList<>();
            long t0 = System.nanoTime();
            for (PlaneRealisation p : all) {
                long t = System.nanoTime();
                dp.apply(p);
                each.add((System.nanoTime() - t) / 1e6);
            }
            double applySeconds = (System.nanoTime() - t0) / 1e9;
            figure("dataplane: apply %d planes one by one in %.2f s: %.1f planes/s, per plane median %.0f ms, max %.0f ms (load %s)",
                    all.size(), applySeconds, all.size() / applySeconds, median(each), each.stream().mapToDouble(d -> d).max().orElse(0), load());

            t0 = System.nanoTime();
            List<PlaneRealisation> back = dp.realised();
            double readMs = (System.nanoTime() - t0) / 1e6;
            boolean same = back.equals(all.stream().map(DataplaneBench::sorted).sorted(Comparator.comparing(PlaneRealisation::plane)).toList());
            figure("dataplane: realised() read back %d planes in %.0f ms; equal to what was applied: %s", back.size(), readMs, same);

            long reached = 0;
            int probes = Math.min(all.size(), 10);
            for (PlaneRealisation p : all.subList(0, probes)) {
                SiteBinding to = p.sites().get(1);
                reached += dp.probe(p.sites().get(0).attachment(), hostOf(to.ipv6Prefix()), 5).received();
                reached += dp.probe(p.sites().get(0).attachment(), hostOf(to.ipv4Prefix()), 5).received();
            }
            figure("dataplane: probes between the first two sites of %d planes (IPv6 and IPv4): %d of %d answered", probes, reached, probes * 10);

            t0 = System.nanoTime();
            for (PlaneRealisation p : all) {
                dp.apply(p);
            }
            figure("dataplane: apply the same %d planes again (nothing to change) in %.2f s", all.size(), (System.nanoTime() - t0) / 1e9);

            restore(dp, all);

            t0 = System.nanoTime();
            for (PlaneRealisation p : all) {
                dp.remove(p.plane());
            }
            double removeSeconds = (System.nanoTime() - t0) / 1e9;
            figure("dataplane: remove %d planes in %.2f s: %.1f planes/s; planes left in the kernel: %d", all.size(), removeSeconds,
                    all.size() / removeSeconds, dp.realised().size());
        } finally {
            Bench.lab(root, Map.of(), "srv6.sh", "up"); // back to the lab's default size
        }
    }

    /** Link failures on primaries that have a backup: time from link down to the first probe answered. */
    private void restore(Srv6Dataplane dp, List<PlaneRealisation> all) throws Exception {
        Map<String, PlaneRealisation> byLink = new LinkedHashMap<>();
        Map<String, SrPolicy> policyOf = new HashMap<>();
        for (PlaneRealisation p : all) {
            for (SrPolicy pol : p.policies()) {
                boolean protectedPair = p.policies().stream().anyMatch(b -> b.backup() && b.from().equals(pol.from()) && b.to().equals(pol.to()));
                if (!pol.backup() && protectedPair) {
                    for (String l : pol.path().links()) {
                        if (!byLink.containsKey(l)) {
                            byLink.put(l, p);
                            policyOf.put(l, pol);
                        }
                    }
                }
            }
        }
        List<String> links = new ArrayList<>(byLink.keySet()).subList(0, Math.min(failures, byLink.size()));
        List<Double> times = new ArrayList<>();
        try (AutoCloseable watcher = dp.watchLinks()) {
            Thread.sleep(1000);
            for (String id : links) {
                PlaneRealisation p = byLink.get(id);
                SrPolicy pol = policyOf.get(id);
                Attachment from = site(p, pol.from()).attachment();
                String to = hostOf(site(p, pol.to()).ipv6Prefix());
                long crossing = all.stream().filter(q -> q.policies().stream().anyMatch(x -> !x.backup() && x.path().links().contains(id))).count();
                Link link = dp.topology().links().stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
                long t0 = System.nanoTime();
                Bench.run(Map.of(), List.of("sh", "-c", "ip -n ts-" + link.a() + " link set " + link.b() + " down; ip -n ts-" + link.b() + " link set " + link.a() + " down"));
                int tries = 0;
                while (!ping(host(from), to) && System.nanoTime() - t0 < 20_000_000_000L) {
                    tries++;
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                times.add(ms);
                figure("dataplane: link %s down (primary of %d planes): plane %s %s -> %s answered over its backup %.0f ms later "
                        + "(%d probes lost) (load %s)", id, crossing, p.plane(), pol.from(), pol.to(), ms, tries, load());
                Bench.lab(root, Map.of("SRV6_LAB_PORTS", String.valueOf(ports)), "srv6.sh", "clear", id);
                Thread.sleep(1500); // the watcher moves the primaries back
            }
        }
        figure("dataplane: restore after a link failure %.0f ms (median of %d; link watcher + reconcile of all %d planes)",
                median(times), times.size(), all.size());
    }

    private static SiteBinding site(PlaneRealisation p, String name) {
        return p.sites().stream().filter(s -> s.site().equals(name)).findFirst().orElseThrow();
    }

    private static String host(Attachment a) {
        return "ts-h-" + a.router() + "-" + a.port();
    }

    private static boolean ping(String ns, String address) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-6", "-n", "-c", "1", "-W", "0.02", address)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    /** Planes over the edge routers round robin, each site on the next free port; paths from the slicing engine. */
    private List<PlaneRealisation> planes(Topology topo, List<Attachment> attachments) {
        PathEngine engine = new PathEngine();
        engine.load(topo);
        Map<String, Router> routers = new HashMap<>();
        topo.routers().forEach(r -> routers.put(r.id(), r));
        List<String> edges = attachments.stream().map(Attachment::router).distinct().toList();
        Map<String, Integer> nextPort = new HashMap<>();
        List<PlaneRealisation> out = new ArrayList<>();
        for (int i = 0; i < planes; i++) {
            int table = 1000 + i;
            List<SiteBinding> sites = new ArrayList<>();
            for (int s = 0; s < sitesPerPlane; s++) {
                String router = edges.get((i + s) % edges.size());
                int port = nextPort.merge(router, 1, Integer::sum);
                String locator = routers.get(router).locator();
                int k = i * sitesPerPlane + s; // the site's /24 out of 10.16.0.0/12, enough for 4,096 sites
                sites.add(new SiteBinding("s" + s, new Attachment(router, "p" + port),
                        String.format("2409:8000:%x:%x00::/56", i + 1, s + 1), String.format("10.%d.%d.0/24", 16 + (k >> 8), k & 255),
                        locator.substring(0, locator.indexOf("::")) + "::" + Integer.toHexString(table)));
            }
            List<SrPolicy> policies = new ArrayList<>();
            for (SiteBinding from : sites) {
                for (SiteBinding to : sites) {
                    if (from == to) {
                        continue;
                    }
                    PathAnswer answer;
                    String id = "p" + i + "/" + from.site() + ">" + to.site();
                    try {
                        answer = engine.compute(new PathRequest(id, from.attachment().router(), to.attachment().router(), 0,
                                PathRequest.NO_LATENCY_BOUND, Protection.ONE_PLUS_ONE_SRLG_DISJOINT));
                    } catch (TianshuException e) {
                        answer = engine.compute(new PathRequest(id, from.attachment().router(), to.attachment().router(), 0,
                                PathRequest.NO_LATENCY_BOUND, Protection.NONE));
                    }
                    policies.add(policy(from, to, answer.primary(), false, routers));
                    if (answer.backup() != null) {
                        policies.add(policy(from, to, answer.backup(), true, routers));
                    }
                }
            }
            out.add(new PlaneRealisation("bench-" + i, table, sites, policies));
        }
        return out;
    }

    private static SrPolicy policy(SiteBinding from, SiteBinding to, org.tianshu.api.plane.Path path, boolean backup,
            Map<String, Router> routers) {
        List<String> segs = new ArrayList<>();
        List<String> hops = path.routers();
        for (String r : hops.subList(1, hops.size() - 1)) {
            String locator = routers.get(r).locator();
            segs.add(locator.substring(0, locator.indexOf("::")) + "::1");
        }
        segs.add(to.decapSid());
        return new SrPolicy(from.site(), to.site(), segs, path, backup);
    }

    private static PlaneRealisation sorted(PlaneRealisation p) {
        return new PlaneRealisation(p.plane(), p.table(), p.sites().stream().sorted(Comparator.comparing(SiteBinding::site)).toList(),
                p.policies().stream().sorted(Comparator.comparing(SrPolicy::from).thenComparing(SrPolicy::to)
                        .thenComparing(SrPolicy::backup)).toList());
    }

    /** The site host's address: the prefix's first address. */
    private static String hostOf(String prefix) {
        String net = prefix.substring(0, prefix.indexOf('/'));
        return net.contains(":") ? net + "1" : net.substring(0, net.lastIndexOf('.')) + ".1";
    }
}
