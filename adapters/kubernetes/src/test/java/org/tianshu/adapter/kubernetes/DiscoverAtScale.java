package org.tianshu.adapter.kubernetes;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.CloudSnapshot;

/**
 * Manual measurement (not a test): time and heap of {@code discover()} against running lab clusters, e.g.
 * <pre>
 * K8S_LAB_NODES=3334 K8S_LAB_WORKLOADS=33334 K8S_LAB_HEAP=6g lab/kubernetes.sh start
 * java -Xmx2g -cp adapters/kubernetes/target/test-classes:adapters/kubernetes/target/classes:$(cat cp.txt) \
 *     org.tianshu.adapter.kubernetes.DiscoverAtScale http://127.0.0.1:16443 http://127.0.0.1:16444 http://127.0.0.1:16445
 * </pre>
 * Prints, per round, the wall time of discovering every cluster one after the other, the hosts and workloads
 * found, the heap retained by the snapshots and the peak heap during the round.
 */
public final class DiscoverAtScale {
    private DiscoverAtScale() {
    }

    public static void main(String[] args) throws Exception {
        KubernetesDriver driver = new KubernetesDriver();
        List<CloudSession> sessions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            sessions.add(driver.open(new Cloud("c" + i, "c" + i, CloudKind.KUBERNETES, "c", "r", 3, false, args[i], "lab",
                    Map.of()), null));
        }
        for (int round = 1; round <= 3; round++) {
            long base = usedAfterGc();
            resetPeaks();
            long t0 = System.nanoTime();
            List<CloudSnapshot> snaps = new ArrayList<>();
            StringBuilder per = new StringBuilder();
            for (CloudSession s : sessions) {
                long t = System.nanoTime();
                snaps.add(s.discover());
                per.append(' ').append((System.nanoTime() - t) / 1_000_000).append("ms");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long peak = peakHeap();
            long retained = usedAfterGc() - base;
            int hosts = snaps.stream().mapToInt(x -> x.hosts().size()).sum();
            int workloads = snaps.stream().mapToInt(x -> x.workloads().size()).sum();
            System.out.printf("round %d: %d clusters, %d hosts, %d workloads in %d ms (per cluster:%s);"
                    + " heap retained by snapshots %d MiB, peak heap %d MiB%n", round, sessions.size(), hosts, workloads,
                    ms, per, retained >> 20, peak >> 20);
            snaps.clear();
        }
        sessions.forEach(CloudSession::close);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
