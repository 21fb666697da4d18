package org.tianshu.lab.kubernetes;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs the lab clusters as a process. Arguments: an optional properties file ({@code --config FILE}) and
 * {@code key=value} overrides, keys as in {@link LabSpec} (clusters, basePort, nodesPerCluster, nodeCpu,
 * nodeMemoryGi, nodeDiskGi, gpuEvery, gpusPerNode, gpuType, zones, workloadsPerCluster, workloadReplicas,
 * departments, controllerDelayMs, token). Prints one line starting with {@code READY} when every cluster
 * serves; stops cleanly on SIGTERM.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        for (int i = 0; i < args.length; i++) {
            if ("--config".equals(args[i]) && i + 1 < args.length) {
                try (Reader r = Files.newBufferedReader(Path.of(args[++i]))) {
                    p.load(r);
                }
            } else if (args[i].contains("=")) {
                p.setProperty(args[i].substring(0, args[i].indexOf('=')).trim(), args[i].substring(args[i].indexOf('=') + 1));
            } else {
                usage("unknown argument '" + args[i] + "'");
            }
        }
        LabSpec spec;
        try {
            spec = LabSpec.from(p);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        long t0 = System.nanoTime();
        LabClusters lab = LabClusters.start(spec);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lab.close();
            System.out.println("STOPPED");
            System.out.flush();
            stopped.countDown();
        }, "lab-stop"));
        int objects = lab.clusters().stream().mapToInt(LabCluster::objects).sum();
        System.out.printf("READY %s (nodes/cluster=%d, seeded workloads/cluster=%d, objects=%d, %d ms)%n",
                lab.endpoints().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ")),
                spec.nodesPerCluster(), spec.workloadsPerCluster(), objects, (System.nanoTime() - t0) / 1_000_000);
        System.out.flush();
        stopped.await();
    }

    private static void usage(String problem) throws IOException {
        System.err.println("kubernetes-lab: " + problem);
        System.err.println("usage: java -jar org.tianshu.lab.kubernetes.jar [--config FILE] [key=value ...]");
        System.exit(2);
    }
}
