package org.tianshu.bench;

import static org.tianshu.bench.Bench.figure;
import static org.tianshu.bench.Bench.load;
import static org.tianshu.bench.Bench.median;
import static org.tianshu.bench.Bench.note;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.tianshu.adapter.opendaylight.OpenDaylightController;
import org.tianshu.adapter.srv6.Srv6Dataplane;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;

/**
 * The {@code chain} scenario: OpenDaylight programming the kernel SRv6 lab. Builds the kernel lab under its own prefix
 * ({@code tc-}, state in {@code /var/tmp/tianshu-lab-chain}) and the OpenDaylight lab on its topology (RESTCONF 8898,
 * devices 17930+, one router agent per router), then {@code bench.chain.samples} times: applies a plane between
 * my-acc/p1 and ls-acc/p1 through {@link OpenDaylightController}, probes (one ping at a time, through
 * {@link Srv6Dataplane}) until the far host answers, removes the plane and waits until the kernel holds nothing of it.
 * The time from {@code apply()} returning to the first answer includes OpenDaylight's NETCONF edit-config, the agents'
 * polling (every 0.3 s) and their iproute2 batches.
 */
final class ChainBench {
    private static final String PREFIX = "tc-";
    private static final String LAB_DIR = "/var/tmp/tianshu-lab-chain";
    private static final Map<String, String> ENV = Map.of("TIANSHU_LAB_DIR", LAB_DIR, "SRV6_LAB_PREFIX", PREFIX,
            "ODL_LAB_NETNS_PREFIX", PREFIX, "ODL_LAB_TOPOLOGY", LAB_DIR + "/srv6/topology.json",
            "ODL_LAB_PORT", "8898", "ODL_LAB_DEVICE_PORT", "17930");
    private static final Attachment FROM = Attachment.parse("my-acc/p1");
    private static final Attachment TO = Attachment.parse("ls-acc/p1");

    private final int samples = Integer.getInteger("bench.chain.samples", 10);
    private final Path root;

    ChainBench(Path root) {
        this.root = root;
    }

    void run() throws Exception {
        long t0 = System.nanoTime();
        Bench.lab(root, ENV, "srv6.sh", "up");
        double srv6 = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        Bench.lab(root, ENV, "opendaylight.sh", "start");
        double odl = (System.nanoTime() - t0) / 1e9;
        figure("chain: kernel lab up in %.1f s, OpenDaylight lab (8 routers mounted, 8 agents) in %.1f s, 2 cores, load %s",
                srv6, odl, load());
        OpenDaylightController controller = OpenDaylightController.open("http://127.0.0.1:8898/restconf", Duration.ofSeconds(20));
        try (Srv6Dataplane kernel = Srv6Dataplane.open(Path.of(LAB_DIR, "srv6/topology.json"), PREFIX, Duration.ofSeconds(30))) {
            controller.realised().forEach(p -> controller.remove(p.plane()));
            List<Double> apply = new ArrayList<>();
            List<Double> reach = new ArrayList<>();
            List<Double> clean = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                long t = System.nanoTime();
                controller.apply(plane());
                long applied = System.nanoTime();
                apply.add((applied - t) / 1e6);
                await(() -> kernel.probe(FROM, "2409:8000:e:300::1", 1).received() > 0, "an answer across the plane");
                reach.add((System.nanoTime() - applied) / 1e6);
                controller.remove("chain-bench");
                long removed = System.nanoTime();
                await(() -> kernel.realised().isEmpty(), "a kernel without the plane");
                clean.add((System.nanoTime() - removed) / 1e6);
            }
            figure("chain: OpenDaylightController.apply() of a 2-site plane (2 routers written): median %.0f ms, max %.0f ms",
                    median(apply), max(apply));
            figure("chain: apply() returned -> first ping answered across the plane (NETCONF, agents polling every 0.3 s,"
                    + " iproute2): median %.0f ms, max %.0f ms over %d samples (load %s)", median(reach), max(reach), samples, load());
            figure("chain: remove() returned -> the kernel holds nothing of the plane: median %.0f ms, max %.0f ms",
                    median(clean), max(clean));
        } finally {
            Bench.lab(root, ENV, "opendaylight.sh", "stop");
            Bench.lab(root, ENV, "srv6.sh", "down");
        }
    }

    private static PlaneRealisation plane() {
        return new PlaneRealisation("chain-bench", 330, List.of(
                new SiteBinding("my", FROM, "2409:8000:e:100::/56", null, "fd00:0:4::e:100"),
                new SiteBinding("ls", TO, "2409:8000:e:300::/56", null, "fd00:0:8::e:100")),
                List.of(new SrPolicy("my", "ls", List.of("fd00:0:1::1", "fd00:0:8::e:100"), null, false),
                        new SrPolicy("ls", "my", List.of("fd00:0:1::1", "fd00:0:4::e:100"), null, false)));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within 30 s");
            }
            Thread.sleep(5);
        }
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(d -> d).max().orElse(0);
    }

}
