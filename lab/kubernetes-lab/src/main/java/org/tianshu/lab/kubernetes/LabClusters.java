package org.tianshu.lab.kubernetes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of emulated city clusters started from a {@link LabSpec}: the entry point for tests and benchmarks.
 * <pre>
 * try (LabClusters lab = LabClusters.start(LabSpec.defaults().withRandomPorts().withTotals(10_000, 100_000))) {
 *     lab.endpoints().forEach((city, url) -&gt; ...);
 * }
 * </pre>
 */
public final class LabClusters implements AutoCloseable {
    private final List<LabCluster> clusters;

    private LabClusters(List<LabCluster> clusters) {
        this.clusters = Collections.unmodifiableList(clusters);
    }

    /**
     * Seeds and starts every cluster of {@code spec} (in parallel), cluster i on {@code basePort + i}, or on free
     * ports when basePort is 0. Returns when every API server listens and every control loop watches.
     */
    public static LabClusters start(LabSpec spec) throws Exception {
        List<LabCluster> started = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        LabCluster[] slots = new LabCluster[spec.clusters().size()];
        for (int i = 0; i < spec.clusters().size(); i++) {
            int idx = i;
            String name = spec.clusters().get(i);
            int port = spec.basePort() == 0 ? 0 : spec.basePort() + i;
            Thread t = new Thread(() -> {
                try {
                    slots[idx] = LabCluster.start(name, spec, port);
                    started.add(slots[idx]);
                } catch (Exception | Error e) {
                    failures.add(new IllegalStateException("cluster " + name + " on port " + port + ": " + e.getMessage(), e));
                }
            }, "lab-start-" + name);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            started.forEach(LabCluster::close);
            Throwable first = failures.get(0);
            throw first instanceof Exception e ? e : new IllegalStateException(first);
        }
        return new LabClusters(List.of(slots));
    }

    /** The clusters, in the order of the spec. */
    public List<LabCluster> clusters() {
        return clusters;
    }

    /** The cluster named {@code name}. */
    public LabCluster cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no lab cluster " + name));
    }

    /** Cluster name to API server URL, in spec order. */
    public Map<String, String> endpoints() {
        Map<String, String> m = new LinkedHashMap<>();
        clusters.forEach(c -> m.put(c.name(), c.url()));
        return m;
    }

    @Override
    public void close() {
        clusters.forEach(LabCluster::close);
    }
}
