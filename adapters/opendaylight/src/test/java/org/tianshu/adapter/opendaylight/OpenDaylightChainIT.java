package org.tianshu.adapter.opendaylight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tianshu.adapter.srv6.Srv6Dataplane;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;
import org.tianshu.api.testing.LabScripts;

/**
 * The whole chain on the kernel SRv6 lab: {@code lab/srv6.sh} builds the 8-router backbone in namespaces
 * {@code tc-*} (its own prefix and state directory, so it runs beside the kernel lab {@code ts-*}), then
 * {@code lab/opendaylight.sh} starts OpenDaylight on that topology (RESTCONF on 8898, devices from 17930), one NETCONF
 * device and one router agent per router. Planes go Tianshu → RESTCONF → OpenDaylight → NETCONF → device → agent →
 * kernel; the kernel lab's {@link Srv6Dataplane} probes them from the host namespaces and is the reference for the
 * kernel state: applying the same planes with it afterwards changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenDaylightChainIT {
    private static final String PREFIX = "tc-";
    private static final String LAB_DIR = "/var/tmp/tianshu-lab-chain";
    private static final Map<String, String> ENV = Map.of("TIANSHU_LAB_DIR", LAB_DIR, "SRV6_LAB_PREFIX", PREFIX,
            "ODL_LAB_NETNS_PREFIX", PREFIX, "ODL_LAB_TOPOLOGY", LAB_DIR + "/srv6/topology.json",
            "ODL_LAB_PORT", "8898", "ODL_LAB_DEVICE_PORT", "17930");
    /** The namespaces the two planes touch: their provider edges and the hosts behind their ports. */
    private static final List<String> NAMESPACES = List.of("my-acc", "ls-acc", "h-my-acc-p1", "h-my-acc-p2",
            "h-ls-acc-p1", "h-ls-acc-p2");
    private static final Attachment MY_A = Attachment.parse("my-acc/p1");
    private static final Attachment MY_B = Attachment.parse("my-acc/p2");

    private static OpenDaylightController odl;
    private static Srv6Dataplane kernel;
    private static String pristine;

    @BeforeAll
    static void startBothLabs() {
        LabScripts.run(ENV, "opendaylight.sh", "stop");
        LabScripts.run(ENV, "srv6.sh", "down");
        LabScripts.run(ENV, "srv6.sh", "up");
        LabScripts.run(ENV, "opendaylight.sh", "start");
        odl = OpenDaylightController.open("http://127.0.0.1:8898/restconf", Duration.ofSeconds(20));
        kernel = Srv6Dataplane.open(Path.of(LAB_DIR, "srv6/topology.json"), PREFIX, Duration.ofSeconds(30));
        pristine = dump();
    }

    /** Dual stack, 1+1: my-acc/p1 to ls-acc/p1 through cd-core1 (backup through cd-core2), and back. */
    static PlaneRealisation egov() {
        return new PlaneRealisation("chain-egov", 310, List.of(
                new SiteBinding("my", MY_A, "2409:8000:c:100::/56", "10.26.1.0/24", "fd00:0:4::c:100"),
                new SiteBinding("ls", Attachment.parse("ls-acc/p1"), "2409:8000:c:300::/56", "10.26.3.0/24", "fd00:0:8::c:100")),
                List.of(
                        new SrPolicy("my", "ls", List.of("fd00:0:1::1", "fd00:0:8::c:100"), path(
                                List.of("my-acc", "my-agg", "cd-core1", "ls-agg", "ls-acc"),
                                List.of("my-agg~my-acc", "cd-core1~my-agg", "cd-core1~ls-agg", "ls-agg~ls-acc"), 5500), false),
                        new SrPolicy("my", "ls", List.of("fd00:0:2::1", "fd00:0:8::c:100"), path(
                                List.of("my-acc", "my-agg", "cd-core2", "ls-agg", "ls-acc"),
                                List.of("my-agg~my-acc", "cd-core2~my-agg", "cd-core2~ls-agg", "ls-agg~ls-acc"), 5800), true),
                        new SrPolicy("ls", "my", List.of("fd00:0:1::1", "fd00:0:4::c:100"), path(
                                List.of("ls-acc", "ls-agg", "cd-core1", "my-agg", "my-acc"),
                                List.of("ls-agg~ls-acc", "cd-core1~ls-agg", "cd-core1~my-agg", "my-agg~my-acc"), 5500), false)));
    }

    /** IPv6 only: my-acc/p2 to ls-acc/p2 through zg-agg, and back. */
    static PlaneRealisation video() {
        return new PlaneRealisation("chain-video", 320, List.of(
                new SiteBinding("my", MY_B, "2409:8000:d:100::/56", null, "fd00:0:4::d:100"),
                new SiteBinding("ls", Attachment.parse("ls-acc/p2"), "2409:8000:d:300::/56", null, "fd00:0:8::d:100")),
                List.of(
                        new SrPolicy("my", "ls", List.of("fd00:0:5::1", "fd00:0:8::d:100"), path(
                                List.of("my-acc", "zg-agg", "zg-acc", "ls-agg", "ls-acc"),
                                List.of("my-acc~zg-agg", "zg-agg~zg-acc", "zg-acc~ls-agg", "ls-agg~ls-acc"), 9500), false),
                        new SrPolicy("ls", "my", List.of("fd00:0:5::1", "fd00:0:4::d:100"), path(
                                List.of("ls-acc", "ls-agg", "zg-acc", "zg-agg", "my-acc"),
                                List.of("ls-agg~ls-acc", "zg-acc~ls-agg", "zg-agg~zg-acc", "my-acc~zg-agg"), 9500), false)));
    }

    private static org.tianshu.api.plane.Path path(List<String> routers, List<String> links, long latency) {
        return new org.tianshu.api.plane.Path(routers, links, latency);
    }

    @Test
    @Order(1)
    void thePlanesReachTheirHostsThroughOpenDaylight() {
        // the agents poll their devices: the planes reach the kernel shortly after apply() (lab/bench.sh chain times it)
        odl.apply(egov());
        awaitAnswer(MY_A, "2409:8000:c:300::1");
        odl.apply(video());
        awaitAnswer(MY_B, "2409:8000:d:300::1");

        assertThat(kernel.probe(MY_A, "2409:8000:c:300::1", 20).received()).isEqualTo(20);
        assertThat(kernel.probe(Attachment.parse("ls-acc/p1"), "2409:8000:c:100::1", 20).received()).isEqualTo(20);
        awaitAnswer(MY_A, "10.26.3.1");
        assertThat(kernel.probe(MY_A, "10.26.3.1", 20).received()).as("IPv4 over End.DX4").isEqualTo(20);
        assertThat(kernel.probe(MY_B, "2409:8000:d:300::1", 20).received()).isEqualTo(20);
        assertThat(kernel.probe(Attachment.parse("ls-acc/p2"), "2409:8000:d:100::1", 20).received()).isEqualTo(20);
    }

    @Test
    @Order(2)
    void packetsTravelTheSegmentLists() {
        // the underlay's shortest way from my-acc to ls-acc is my-agg: only the segment lists bring the probes to
        // cd-core1 (chain-egov) and zg-agg (chain-video), whose End forwards them on to the decap SID with the SRH kept
        String counter = "table inet tc-test { chain fw { type filter hook forward priority 0; ip6 daddr %s ip6 nexthdr 43 counter; }; }";
        sh("ip netns exec " + PREFIX + "cd-core1 nft '" + counter.formatted("fd00:0:8::c:100") + "'");
        sh("ip netns exec " + PREFIX + "zg-agg nft '" + counter.formatted("fd00:0:8::d:100") + "'");
        try {
            assertThat(kernel.probe(MY_A, "2409:8000:c:300::1", 20).received()).isEqualTo(20);
            assertThat(kernel.probe(MY_B, "2409:8000:d:300::1", 20).received()).isEqualTo(20);
            assertThat(sh("ip netns exec " + PREFIX + "cd-core1 nft list table inet tc-test")).contains("counter packets 20 ");
            assertThat(sh("ip netns exec " + PREFIX + "zg-agg nft list table inet tc-test")).contains("counter packets 20 ");
        } finally {
            sh("ip netns exec " + PREFIX + "cd-core1 nft delete table inet tc-test");
            sh("ip netns exec " + PREFIX + "zg-agg nft delete table inet tc-test");
        }
    }

    @Test
    @Order(3)
    void thePlanesAreIsolated() {
        assertThat(kernel.probe(MY_A, "2409:8000:d:300::1", 5).received()).isZero();
        assertThat(kernel.probe(MY_B, "2409:8000:c:300::1", 5).received()).isZero();
        assertThat(kernel.probe(MY_B, "10.26.3.1", 5).received()).isZero();
        // nor the SIDs of the other plane (the lab's guard)
        assertThat(kernel.probe(MY_B, "fd00:0:8::c:100", 5).received()).isZero();
    }

    @Test
    @Order(4)
    void theAgentsWriteWhatTheKernelLabsAdapterWrites() {
        String chain = dump();
        assertThat(chain).contains("tianshu:chain-egov/my", "End.DX4", "End.DT6", "encap seg6 mode encap");
        kernel.apply(egov());
        kernel.apply(video());
        assertThat(dump()).isEqualTo(chain);
    }

    @Test
    @Order(5)
    void aRestartedAgentDropsWhatItsDeviceNoLongerHolds() throws Exception {
        String pid = java.nio.file.Files.readString(Path.of(LAB_DIR, "opendaylight/agent-my-acc.pid")).strip();
        sh("kill " + pid + "; while kill -0 " + pid + " 2>/dev/null; do sleep 0.1; done");
        odl.remove("chain-video");
        // nobody took my-acc's part of the plane out of its kernel
        assertThat(sh("ip -n " + PREFIX + "my-acc link show p2")).contains("alias tianshu:chain-video/my");
        LabScripts.run(ENV, "opendaylight.sh", "agents");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (sh("ip -n " + PREFIX + "my-acc link show p2").contains("alias") && System.nanoTime() < deadline) {
            sleep(200);
        }
        assertThat(sh("ip -n " + PREFIX + "my-acc link show p2")).doesNotContain("alias");
        awaitAnswer(MY_A, "2409:8000:c:300::1");
        assertThat(kernel.realised()).extracting(PlaneRealisation::plane).containsExactly("chain-egov");
    }

    @Test
    @Order(6)
    void removeCleansTheKernel() {
        odl.remove("chain-egov");
        odl.remove("chain-video");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String now = dump();
        while (!now.equals(pristine) && System.nanoTime() < deadline) {
            sleep(200);
            now = dump();
        }
        assertThat(now).isEqualTo(pristine);
        assertThat(kernel.realised()).isEmpty();
    }

    @AfterAll
    static void stopBothLabs() {
        if (kernel != null) {
            kernel.close();
        }
        LabScripts.run(ENV, "opendaylight.sh", "stop");
        LabScripts.run(ENV, "srv6.sh", "down");
    }

    /** Probes once every 20 ms until an answer comes, for at most 20 s. */
    private static void awaitAnswer(Attachment from, String address) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (kernel.probe(from, address, 1).received() > 0) {
                return;
            }
            sleep(20);
        }
        throw new AssertionError("no answer from " + address + " to " + from + " within 20 s");
    }

    /** Rules, addresses, aliases and routes of the namespaces the planes touch. */
    private static String dump() {
        StringBuilder b = new StringBuilder();
        for (String n : NAMESPACES) {
            String ns = PREFIX + n;
            b.append("== ").append(ns).append('\n');
            for (String c : List.of("-6 rule show", "-4 rule show", "-6 -o address show", "-4 -o address show",
                    "-6 route show table all", "-4 route show table all", "-o link show")) {
                String s = sh("ip -n " + ns + " " + c);
                if (c.contains("link")) {
                    // aliases only: link lines carry counters and states that traffic changes
                    s = s.lines().filter(l -> l.contains(" alias ")).map(l -> l.replaceAll("^\\d+: ([^@:]+).* alias (\\S+).*$", "$1 $2"))
                            .reduce("", (x, y) -> x + y + "\n");
                }
                b.append(c).append('\n').append(s.replaceAll("valid_lft.*", ""));
            }
        }
        return b.toString();
    }

    private static String sh(String command) {
        try {
            Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command + " failed: " + out);
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
