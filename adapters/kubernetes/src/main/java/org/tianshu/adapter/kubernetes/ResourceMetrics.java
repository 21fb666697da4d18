package org.tianshu.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsList;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tianshu.api.scheduling.Usage;

/**
 * Measured use from the cluster's Resource Metrics API ({@code metrics.k8s.io/v1beta1}, served by metrics-server): a
 * node's CPU in use as a share of its allocatable CPU, a workload's as a share of what its pods request. A cluster
 * without the API (404) has no usage to report.
 */
final class ResourceMetrics {
    private ResourceMetrics() {
    }

    /** One {@link Usage} per node and per workload with running, measured pods. */
    static List<Usage> usage(KubernetesClient client, String cloudId) {
        NodeMetricsList nodeMetrics;
        try {
            nodeMetrics = client.top().nodes().metrics();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw Errors.translate(cloudId, "read node metrics", e);
        }
        List<PodMetrics> podMetrics = Errors.call(cloudId, "read pod metrics", () -> client.top().pods().metrics()).getItems();
        Map<String, Long> allocatable = new HashMap<>();
        for (Node n : Errors.call(cloudId, "list nodes", () -> client.nodes().list()).getItems()) {
            allocatable.put(n.getMetadata().getName(), n.getStatus() == null ? 0 : Units.of(n.getStatus().getAllocatable()).cpuMillis());
        }
        Map<String, Pod> pods = new HashMap<>();
        for (Pod p : Errors.call(cloudId, "list pods", () -> client.pods().inAnyNamespace().list()).getItems()) {
            pods.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
        }
        List<Usage> out = new ArrayList<>();
        for (NodeMetrics m : nodeMetrics.getItems()) {
            Long cap = allocatable.get(m.getMetadata().getName());
            if (cap != null && cap > 0 && m.getUsage() != null) {
                out.add(new Usage(cloudId, m.getMetadata().getName(), null, millicores(m.getUsage().get("cpu")) / cap,
                        at(m.getTimestamp())));
            }
        }
        // per workload: the sum over its measured pods of use and of requests
        Map<String, double[]> byWorkload = new HashMap<>();
        Map<String, String> nodeOf = new HashMap<>();
        Map<String, Instant> measured = new HashMap<>();
        for (PodMetrics m : podMetrics) {
            Pod p = pods.get(m.getMetadata().getNamespace() + "/" + m.getMetadata().getName());
            String owner = p == null ? null : KubernetesSession.ownerId(p);
            long requested = p == null ? 0 : Units.requests(p.getSpec()).cpuMillis();
            if (owner == null || requested == 0) {
                continue;
            }
            double used = 0;
            for (ContainerMetrics c : m.getContainers() == null ? List.<ContainerMetrics>of() : m.getContainers()) {
                used += c.getUsage() == null ? 0 : millicores(c.getUsage().get("cpu"));
            }
            double[] sum = byWorkload.computeIfAbsent(owner, k -> new double[2]);
            sum[0] += used;
            sum[1] += requested;
            nodeOf.putIfAbsent(owner, p.getSpec().getNodeName());
            measured.merge(owner, at(m.getTimestamp()), (a, b) -> a.isAfter(b) ? a : b);
        }
        byWorkload.forEach((owner, sum) -> out.add(new Usage(cloudId, nodeOf.get(owner), owner, sum[0] / sum[1], measured.get(owner))));
        return out;
    }

    private static double millicores(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).doubleValue() * 1000;
    }

    private static Instant at(String timestamp) {
        return timestamp == null ? Instant.now() : Instant.parse(timestamp);
    }
}
