package org.tianshu.adapter.srv6;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.ProbeResult;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;
import org.tianshu.api.testing.LabScripts;

/**
 * Against the kernel SRv6 lab that {@code lab/srv6.sh} builds (needs root): two planes with hand-built realisations
 * (SIDs per the convention: End SID = locator::1), reachability, isolation, the segment list really travelled,
 * 1+1 failover, idempotency, read-back, impairments seen by the probe, and removal without a trace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Srv6DataplaneIT {
    static Srv6Dataplane dp;
    static Map<String, String> pristine;
    static PlaneRealisation a;
    static PlaneRealisation b;

    @BeforeAll
    static void lab() {
        LabScripts.run("srv6.sh", "down");
        LabScripts.run("srv6.sh", "up");
        dp = Srv6Dataplane.open(Path.of("/var/tmp/tianshu-lab/srv6/topology.json"), "ts-", Duration.ofSeconds(30));
        pristine = dump();
        // plane A: three sites, two dual-stack with a 1+1 pair between them (primary over the cross link
        // my-acc~zg-agg, backup over my-agg, cd-core2, ls-agg), the IPv6-only site reached through cd-core1
        a = new PlaneRealisation("egov-office", 100, List.of(
                new SiteBinding("a-my", att("my-acc/p1"), "2409:8000:a:100::/56", "10.16.1.0/24", "fd00:0:4::100"),
                new SiteBinding("a-zg", att("zg-acc/p1"), "2409:8000:a:200::/56", "10.16.2.0/24", "fd00:0:6::100"),
                new SiteBinding("a-ls", att("ls-acc/p1"), "2409:8000:a:300::/56", null, "fd00:0:8::100")),
                List.of(policy("a-my", "a-zg", "fd00:0:6::100", false, "my-acc", "zg-agg", "zg-acc"),
                        policy("a-my", "a-zg", "fd00:0:6::100", true, "my-acc", "my-agg", "cd-core2", "ls-agg", "zg-acc"),
                        policy("a-zg", "a-my", "fd00:0:4::100", false, "zg-acc", "zg-agg", "my-acc"),
                        policy("a-zg", "a-my", "fd00:0:4::100", true, "zg-acc", "ls-agg", "cd-core2", "my-agg", "my-acc"),
                        policy("a-my", "a-ls", "fd00:0:8::100", false, "my-acc", "my-agg", "cd-core1", "ls-agg", "ls-acc"),
                        policy("a-ls", "a-my", "fd00:0:4::100", false, "ls-acc", "ls-agg", "cd-core1", "my-agg", "my-acc")));
        // plane B: the same cities on other ports, through cd-core1
        b = new PlaneRealisation("video", 200, List.of(
                new SiteBinding("b-my", att("my-acc/p2"), "2409:8000:b:100::/56", null, "fd00:0:4::200"),
                new SiteBinding("b-ls", att("ls-acc/p2"), "2409:8000:b:300::/56", null, "fd00:0:8::200")),
                List.of(policy("b-my", "b-ls", "fd00:0:8::200", false, "my-acc", "my-agg", "cd-core1", "ls-agg", "ls-acc"),
                        policy("b-ls", "b-my", "fd00:0:4::200", false, "ls-acc", "ls-agg", "cd-core1", "my-agg", "my-acc")));
    }

    @AfterAll
    static void leaveLabClean() {
        if (dp != null) {
            dp.realised().forEach(p -> dp.remove(p.plane()));
            dp.close();
        }
    }

    @Test
    @Order(1)
    void theTopologyIsTheLabs() {
        assertThat(dp.name()).isEqualTo("srv6-lab");
        assertThat(dp.topology().routers()).hasSize(8).extracting(Router::locator).contains("fd00:0:1::/48", "fd00:0:8::/48");
        assertThat(dp.topology().links()).hasSize(13).allMatch(Link::up);
        assertThat(dp.attachments()).hasSize(15).contains(att("my-acc/p3"), att("my-agg/p2"));
        assertThat(dp.realised()).isEmpty();
    }

    @Test
    @Order(2)
    void sitesOfAPlaneReachEachOtherAndNoOtherPlane() {
        dp.apply(a);
        dp.apply(b);
        assertReaches(att("my-acc/p1"), "2409:8000:a:200::1");
        assertReaches(att("zg-acc/p1"), "2409:8000:a:100::1");
        assertReaches(att("my-acc/p1"), "10.16.2.1");
        assertReaches(att("zg-acc/p1"), "10.16.1.1");
        assertReaches(att("ls-acc/p1"), "2409:8000:a:100::1");
        assertReaches(att("my-acc/p2"), "2409:8000:b:300::1");
        // isolation: A's sites do not reach B's and the other way round, not even B's gateway on the same router
        assertThat(dp.probe(att("my-acc/p1"), "2409:8000:b:300::1", 5).received()).isZero();
        assertThat(dp.probe(att("ls-acc/p2"), "2409:8000:a:100::1", 5).received()).isZero();
        assertThat(dp.probe(att("my-acc/p1"), "2409:8000:b:100::2", 5).received()).isZero();
        // no policy between a-zg and a-ls (not asked for): unreachable
        assertThat(dp.probe(att("zg-acc/p1"), "2409:8000:a:300::1", 5).received()).isZero();
        // a host cannot address the SID space to jump into another plane (the lab's guard drops it)
        assertThat(dp.probe(att("my-acc/p1"), "fd00:0:8::ffff", 3).received()).isZero();
    }

    @Test
    @Order(3)
    void realisedIsWhatWasApplied() {
        assertThat(dp.realised()).containsExactly(sorted(a), sorted(b));
    }

    @Test
    @Order(4)
    void applyingAgainChangesNothing() {
        Map<String, String> before = dump();
        dp.apply(a);
        dp.apply(b);
        assertThat(dump()).isEqualTo(before);
        assertThat(dp.reconcile()).isZero();
    }

    @Test
    @Order(5)
    void packetsTravelTheSegmentList() {
        // on cd-core1, count forwarded packets whose destination is ls-agg's End SID: cd-core1 executed End and the
        // next segment is ls-agg, as in plane B's list (my-agg, cd-core1, ls-agg, decap)
        nft("ts-cd-core1", "table inet ts-test { chain fw { type filter hook forward priority 0; }; }\n"
                + "add rule inet ts-test fw ip6 daddr fd00:0:7::1 ip6 nexthdr 43 counter\n"
                + "add rule inet ts-test fw ip6 daddr fd00:0:3::1 ip6 nexthdr 43 counter\n");
        try {
            long[] cd2Before = txPackets("ts-my-agg", "cd-core2");
            long[] c1Before = txPackets("ts-my-agg", "cd-core1");
            assertReaches(att("my-acc/p2"), "2409:8000:b:300::1", 50);
            String counters = sh("ip", "netns", "exec", "ts-cd-core1", "nft", "list table inet ts-test");
            assertThat(counters).contains("ip6 daddr fd00:0:7::1 ip6 nexthdr ipv6-route counter packets 50 ")
                    .contains("ip6 daddr fd00:0:3::1 ip6 nexthdr ipv6-route counter packets 50 ");
            assertThat(txPackets("ts-my-agg", "cd-core1")[0] - c1Before[0]).isGreaterThanOrEqualTo(50);
            assertThat(txPackets("ts-my-agg", "cd-core2")[0] - cd2Before[0]).isLessThan(5);
            // a full 1500-byte packet (no fragmentation allowed) with 4 segments fits the backbone's MTU 1700
            assertThat(sh("ip", "netns", "exec", "ts-h-my-acc-p2", "ping", "-6", "-n", "-c", "3", "-i", "0.05", "-s", "1452",
                    "-M", "do", "-W", "1", "2409:8000:b:300::1")).contains("3 received");
            // plane A's a-my -> a-zg primary does not touch cd-core1
            assertReaches(att("my-acc/p1"), "2409:8000:a:200::1", 20);
            assertThat(sh("ip", "netns", "exec", "ts-cd-core1", "nft", "list table inet ts-test"))
                    .contains("ip6 daddr fd00:0:7::1 ip6 nexthdr ipv6-route counter packets 53 ");
        } finally {
            sh("ip", "netns", "exec", "ts-cd-core1", "nft", "delete table inet ts-test");
        }
    }

    @Test
    @Order(6)
    void theBackupCarriesTheTrafficWhileThePrimarysLinkIsDown() {
        long[] backupBefore = txPackets("ts-my-acc", "my-agg");
        LabScripts.run("srv6.sh", "impair", "my-acc~zg-agg", "down");
        try {
            assertThat(dp.topology().links()).filteredOn(l -> l.id().equals("my-acc~zg-agg")).allMatch(l -> !l.up());
            // the primary's path is broken and the kernel alone does not fail over
            assertThat(dp.probe(att("my-acc/p1"), "2409:8000:a:200::1", 5).received()).isZero();
            assertThat(dp.reconcile()).isPositive();
            assertReaches(att("my-acc/p1"), "2409:8000:a:200::1", 20);
            assertReaches(att("my-acc/p1"), "10.16.2.1", 20);
            assertThat(txPackets("ts-my-acc", "my-agg")[0] - backupBefore[0]).isGreaterThanOrEqualTo(40);
            // both policies stay configured
            assertThat(dp.realised()).containsExactly(sorted(a), sorted(b));
        } finally {
            LabScripts.run("srv6.sh", "clear", "my-acc~zg-agg");
        }
        assertThat(dp.reconcile()).isPositive();
        assertReaches(att("my-acc/p1"), "2409:8000:a:200::1");
    }

    @Test
    @Order(7)
    void theLinkWatcherSwitchesWithoutBeingAsked() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable w = dp.watchLinks(events::add)) {
            Thread.sleep(500);
            LabScripts.run("srv6.sh", "impair", "my-acc~zg-agg", "down");
            long t0 = System.nanoTime();
            ProbeResult r;
            do {
                r = dp.probe(att("my-acc/p1"), "2409:8000:a:200::1", 1);
            } while (r.received() == 0 && System.nanoTime() - t0 < 10_000_000_000L);
            System.out.printf("srv6: backup carried probes %d ms after the link went down%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(r.received()).isOne();
            // both ends see the link go down: one event says so, for whoever recomputes and pushes the planes
            assertThat(events).extracting(e -> e.type() + " " + e.subject()).containsExactly("LINK_DOWN link/my-acc~zg-agg");
            LabScripts.run("srv6.sh", "clear", "my-acc~zg-agg");
            long t1 = System.nanoTime();
            while (events.size() < 2 && System.nanoTime() - t1 < 10_000_000_000L) {
                Thread.sleep(50);
            }
            assertThat(events).extracting(e -> e.type() + " " + e.subject())
                    .containsExactly("LINK_DOWN link/my-acc~zg-agg", "LINK_UP link/my-acc~zg-agg");
        } finally {
            LabScripts.run("srv6.sh", "clear", "my-acc~zg-agg");
        }
        dp.reconcile();
    }

    @Test
    @Order(8)
    void theProbeSeesLossAndABandwidthLimit() {
        assertThat(dp.probe(att("my-acc/p2"), "2409:8000:b:300::1", 200).loss()).isZero();
        // replies of plane B come back from cd-core1 to my-agg: drop 30 % there
        LabScripts.run("srv6.sh", "impair", "cd-core1~my-agg", "loss=30");
        try {
            ProbeResult r = dp.probe(att("my-acc/p2"), "2409:8000:b:300::1", 200);
            assertThat(r.sent()).isEqualTo(200);
            assertThat(r.loss()).isBetween(0.15, 0.45);
            // plane A's a-my -> a-zg does not cross that link
            assertThat(dp.probe(att("my-acc/p1"), "2409:8000:a:200::1", 100).loss()).isZero();
        } finally {
            LabScripts.run("srv6.sh", "clear", "cd-core1~my-agg");
        }
        // 100 probes a second of about 200 bytes with the SRH is about 160 kbit/s: a 48 kbit/s link drops most of them
        LabScripts.run("srv6.sh", "impair", "cd-core1~my-agg", "rate=48kbit");
        try {
            assertThat(dp.probe(att("my-acc/p2"), "2409:8000:b:300::1", 200).loss()).isGreaterThan(0.3);
        } finally {
            LabScripts.run("srv6.sh", "clear", "cd-core1~my-agg");
        }
        assertThat(dp.probe(att("my-acc/p2"), "2409:8000:b:300::1", 100).loss()).isZero();
    }

    @Test
    @Order(9)
    void badInputIsRefusedWithTheFieldAndChangesNothing() {
        Map<String, String> before = dump();
        SiteBinding s = a.sites().get(0);
        assertField(() -> dp.apply(new PlaneRealisation("x", 300, List.of(new SiteBinding("s", att("my-acc/p9"),
                "2409:8000:c::/56", null, "fd00:0:4::300")), List.of())), TianshuException.Kind.NOT_FOUND, "sites[0].attachment");
        assertField(() -> dp.apply(new PlaneRealisation("x", 300, List.of(new SiteBinding("s", s.attachment(),
                "2409:8000:c::/56", null, "fd00:0:4::300")), List.of())), TianshuException.Kind.CONFLICT, "sites[0].attachment");
        assertField(() -> dp.apply(new PlaneRealisation("x", 100, List.of(new SiteBinding("s", att("my-acc/p3"),
                "2409:8000:c::/56", null, "fd00:0:4::300")), List.of())), TianshuException.Kind.CONFLICT, "table");
        assertField(() -> dp.apply(new PlaneRealisation("x", 300, List.of(new SiteBinding("s", att("my-acc/p3"),
                "2409:8000:c::/56", null, "fd00:0:4::100")), List.of())), TianshuException.Kind.CONFLICT, "sites[0].decapSid");
        assertField(() -> dp.apply(new PlaneRealisation("x", 300, List.of(new SiteBinding("s", att("my-acc/p3"),
                "2409:8000:c::1/56", null, "fd00:0:4::300")), List.of())), TianshuException.Kind.INVALID, "sites[0].ipv6Prefix");
        assertField(() -> dp.apply(new PlaneRealisation("x", 300, List.of(new SiteBinding("s", att("my-acc/p3"),
                "2409:8000:c::/56", null, "fd00:0:5::300")), List.of())), TianshuException.Kind.INVALID, "sites[0].decapSid");
        assertField(() -> dp.apply(new PlaneRealisation("x", 254, List.of(), List.of())), TianshuException.Kind.INVALID, "table");
        PlaneRealisation wrongEnd = new PlaneRealisation(a.plane(), a.table(), a.sites(), List.of(new SrPolicy("a-my", "a-zg",
                List.of("fd00:0:5::1"), null, false)));
        assertField(() -> dp.apply(wrongEnd), TianshuException.Kind.INVALID, "policies[0].segments");
        PlaneRealisation unknownSite = new PlaneRealisation(a.plane(), a.table(), a.sites(), List.of(new SrPolicy("a-my", "nowhere",
                List.of("fd00:0:5::1"), null, false)));
        assertField(() -> dp.apply(unknownSite), TianshuException.Kind.NOT_FOUND, "policies[0].to");
        assertField(() -> dp.probe(att("my-acc/p1"), "not-an-address", 1), TianshuException.Kind.INVALID, "address");
        assertThat(dump()).isEqualTo(before);
    }

    @Test
    @Order(10)
    void applyReplacesAndRemoveLeavesNoTrace() {
        // A without its IPv6-only site and with a-my -> a-zg through cd-core1 only: the rest goes
        PlaneRealisation smaller = new PlaneRealisation(a.plane(), a.table(), a.sites().subList(0, 2),
                List.of(policy("a-my", "a-zg", "fd00:0:6::100", false, "my-acc", "my-agg", "cd-core1", "zg-agg", "zg-acc"),
                        policy("a-zg", "a-my", "fd00:0:4::100", false, "zg-acc", "zg-agg", "my-acc")));
        dp.apply(smaller);
        assertThat(dp.realised()).containsExactly(sorted(smaller), sorted(b));
        assertReaches(att("my-acc/p1"), "2409:8000:a:200::1");
        assertThat(dp.probe(att("my-acc/p1"), "2409:8000:a:300::1", 3).received()).isZero();
        dp.remove(a.plane());
        dp.remove(b.plane());
        dp.remove("never-applied");
        assertThat(dp.realised()).isEmpty();
        assertThat(dump()).isEqualTo(pristine);
    }

    // ---- helpers

    static Attachment att(String text) {
        return Attachment.parse(text);
    }

    /** A strict policy: the End SID of every router between head and tail, then the tail site's decap SID. */
    static SrPolicy policy(String from, String to, String decap, boolean backup, String... routers) {
        LabTopology lab = dp.lab();
        List<String> segs = new ArrayList<>();
        List<String> links = new ArrayList<>();
        long latency = 0;
        for (int i = 1; i < routers.length; i++) {
            Link l = lab.link(routers[i - 1], routers[i]).orElseThrow();
            links.add(l.id());
            latency += l.latencyMicros();
            if (i < routers.length - 1) {
                segs.add(lab.locators().get(routers[i]).getLower().withoutPrefixLength().increment(1).toCanonicalString());
            }
        }
        segs.add(decap);
        return new SrPolicy(from, to, segs, new org.tianshu.api.plane.Path(List.of(routers), links, latency), backup);
    }

    /** The realisation in the order realised() gives. */
    static PlaneRealisation sorted(PlaneRealisation p) {
        return new PlaneRealisation(p.plane(), p.table(),
                p.sites().stream().sorted(Comparator.comparing(SiteBinding::site)).toList(),
                p.policies().stream().sorted(Comparator.comparing(SrPolicy::from).thenComparing(SrPolicy::to)
                        .thenComparing(SrPolicy::backup)).toList());
    }

    static void assertReaches(Attachment from, String address) {
        assertReaches(from, address, 10);
    }

    static void assertReaches(Attachment from, String address, int count) {
        ProbeResult r = dp.probe(from, address, count);
        assertThat(r.received()).as("%s -> %s: %s", from, address, r).isEqualTo(r.sent()).isEqualTo(count);
        assertThat(r.rttMicrosP50()).isPositive().isLessThanOrEqualTo(r.rttMicrosMax());
    }

    static void assertField(Runnable call, TianshuException.Kind kind, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
            assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
        });
    }

    static long[] txPackets(String ns, String dev) {
        String out = sh("ip", "-n", ns, "-s", "-j", "link", "show", "dev", dev);
        var m = java.util.regex.Pattern.compile("\"tx\":\\{\"bytes\":\\d+,\"packets\":(\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return new long[] {Long.parseLong(m.group(1))};
    }

    /** Every lab namespace's addresses, rules and routes (both families) and link aliases, each line sorted. */
    static Map<String, String> dump() {
        Map<String, String> out = new TreeMap<>();
        for (String ns : sh("ip", "netns", "list").lines().map(l -> l.split(" ")[0]).filter(n -> n.startsWith("ts-")).toList()) {
            StringBuilder b = new StringBuilder();
            for (String f : List.of("-6", "-4")) {
                for (String what : List.of("address show", "rule show", "route show table all")) {
                    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns, "-o", f));
                    cmd.addAll(List.of(what.split(" ")));
                    b.append(sh(cmd.toArray(String[]::new)).lines().sorted().reduce("", (x, y) -> x + y + "\n"));
                }
            }
            b.append(sh("ip", "-n", ns, "-o", "link", "show").lines().filter(l -> l.contains("alias")).sorted()
                    .reduce("", (x, y) -> x + y + "\n"));
            out.put(ns, b.toString());
        }
        return out;
    }

    static void nft(String ns, String script) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("srv6-it", ".nft");
            java.nio.file.Files.writeString(f, script);
            sh("ip", "netns", "exec", ns, "nft", "-f", f.toString());
            java.nio.file.Files.delete(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
