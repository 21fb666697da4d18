package org.tianshu.lab.kubernetes;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsListBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsListBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.api.model.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Emulation of metrics-server's Resource Metrics API ({@code metrics.k8s.io/v1beta1}), answered from what the
 * emulated kubelets run: {@code GET .../nodes[/NAME]}, {@code .../pods} and {@code .../namespaces/NS/pods[/NAME]}.
 * A running pod uses its requests times its controller's pod-template annotation {@link #CPU_USE} (a fraction,
 * default {@link #DEFAULT_USE}); every node uses the sum of its running pods. Label selectors are not applied.
 */
final class MetricsServer {
    /** Pod-template annotation: the share of its requests a pod of the workload uses, e.g. {@code "0.02"} for an idle one. */
    static final String CPU_USE = "lab.tianshu.org/cpu-use";
    static final double DEFAULT_USE = 0.5;
    static final String PREFIX = "/apis/metrics.k8s.io/v1beta1/";
    private static final Duration WINDOW = new Duration(java.time.Duration.ofSeconds(30));

    /** A running pod as the kubelet reports it. */
    record PodUse(String namespace, String pod, String container, String node, Requests requests, double use) {
    }

    /** What the kubelets report: every node, and the running pods. */
    record Report(List<String> nodes, List<PodUse> pods) {
        static final Report EMPTY = new Report(List.of(), List.of());
    }

    /** Where the last report comes from. */
    interface Kubelets {
        Report report();
    }

    private final Kubelets kubelets;

    MetricsServer(Kubelets kubelets) {
        this.kubelets = kubelets;
    }

    /** The JSON answer to {@code GET path} (below {@link #PREFIX}, query removed), or null for 404. */
    String get(String path) {
        String[] p = path.substring(PREFIX.length()).split("/");
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (p[0].equals("nodes")) {
            List<NodeMetrics> nodes = nodes(now, p.length > 1 ? p[1] : null);
            return p.length > 1 ? (nodes.isEmpty() ? null : Serialization.asJson(nodes.get(0)))
                    : Serialization.asJson(new NodeMetricsListBuilder().withItems(nodes).build());
        }
        if (p[0].equals("pods") && p.length == 1) {
            return Serialization.asJson(new PodMetricsListBuilder().withItems(pods(now, u -> true)).build());
        }
        if (p[0].equals("namespaces") && p.length >= 3 && p[2].equals("pods")) {
            String name = p.length > 3 ? p[3] : null;
            List<PodMetrics> found = pods(now, u -> u.namespace().equals(p[1]) && (name == null || u.pod().equals(name)));
            return name != null ? (found.isEmpty() ? null : Serialization.asJson(found.get(0)))
                    : Serialization.asJson(new PodMetricsListBuilder().withItems(found).build());
        }
        return null;
    }

    private List<NodeMetrics> nodes(String now, String only) {
        Report report = kubelets.report();
        Map<String, long[]> used = new TreeMap<>(); // node -> {cpu millicores, memory bytes}
        report.nodes().forEach(n -> used.put(n, new long[2]));
        for (PodUse u : report.pods()) {
            long[] sum = used.computeIfAbsent(u.node(), n -> new long[2]);
            sum[0] += Math.round(u.requests().cpuMillis() * u.use());
            sum[1] += Math.round(u.requests().memoryBytes() * u.use());
        }
        return used.entrySet().stream().filter(e -> only == null || only.equals(e.getKey()))
                .map(e -> new NodeMetricsBuilder().withNewMetadata().withName(e.getKey()).endMetadata().withTimestamp(now)
                        .withWindow(WINDOW).withUsage(usage(e.getValue()[0], e.getValue()[1])).build())
                .toList();
    }

    private List<PodMetrics> pods(String now, Predicate<PodUse> which) {
        return kubelets.report().pods().stream().filter(which)
                .map(u -> new PodMetricsBuilder().withNewMetadata().withName(u.pod()).withNamespace(u.namespace()).endMetadata()
                        .withTimestamp(now).withWindow(WINDOW)
                        .withContainers(new ContainerMetricsBuilder().withName(u.container())
                                .withUsage(usage(Math.round(u.requests().cpuMillis() * u.use()),
                                        Math.round(u.requests().memoryBytes() * u.use())))
                                .build())
                        .build())
                .toList();
    }

    private static Map<String, Quantity> usage(long cpuMillis, long memoryBytes) {
        return Map.of("cpu", new Quantity(cpuMillis + "m"), "memory", new Quantity(String.valueOf(memoryBytes)));
    }
}
