package org.tianshu.lab.kubernetes;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What the lab starts: which clusters, on which ports, with how many nodes of which size, and how
 * many pre-seeded workloads per cluster (for scale runs).
 *
 * @param clusters cluster names, one mock API server each (e.g. chengdu, mianyang, zigong)
 * @param basePort port of the first cluster, the next ones follow; 0 picks free ports
 * @param nodesPerCluster nodes seeded in every cluster
 * @param nodeCpu cores per node
 * @param nodeMemoryGi memory per node in GiB
 * @param nodeDiskGi ephemeral storage per node in GiB
 * @param gpuEvery every n-th node gets GPUs (0 = none)
 * @param gpusPerNode {@code nvidia.com/gpu} on a GPU node
 * @param gpuType value of the {@code nvidia.com/gpu.product} label on GPU nodes
 * @param zones zones per cluster; nodes are spread round-robin over {@code <cluster>-<zone>}
 * @param workloadsPerCluster Deployments and StatefulSets pre-seeded in every cluster (every fifth a StatefulSet)
 * @param workloadReplicas replicas of each pre-seeded workload
 * @param departments namespaces {@code dept-01..dept-NN}, labelled {@code tianshu.io/department}, that hold seeded workloads
 * @param controllerDelayMs delay of the emulated controllers before pods run and controller status is updated
 * @param token bearer token the clusters require, null for open clusters
 */
public record LabSpec(List<String> clusters, int basePort, int nodesPerCluster, int nodeCpu, int nodeMemoryGi,
        int nodeDiskGi, int gpuEvery, int gpusPerNode, String gpuType, List<String> zones, int workloadsPerCluster,
        int workloadReplicas, int departments, long controllerDelayMs, String token) {

    /** Port of the first cluster when none is given. */
    public static final int DEFAULT_BASE_PORT = 16443;

    public LabSpec {
        clusters = List.copyOf(clusters);
        zones = List.copyOf(zones);
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("clusters: at least one cluster name is required");
        }
        for (String c : clusters) {
            if (!c.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")) {
                throw new IllegalArgumentException("clusters: '" + c + "' is not a valid cluster name");
            }
        }
        positive("nodesPerCluster", nodesPerCluster);
        positive("nodeCpu", nodeCpu);
        positive("nodeMemoryGi", nodeMemoryGi);
        positive("nodeDiskGi", nodeDiskGi);
        positive("workloadReplicas", workloadReplicas);
        positive("departments", departments);
        if (basePort < 0 || basePort > 65535 - clusters.size() || gpuEvery < 0 || gpusPerNode < 0
                || workloadsPerCluster < 0 || controllerDelayMs < 0 || zones.isEmpty()) {
            throw new IllegalArgumentException("basePort, gpuEvery, gpusPerNode, workloadsPerCluster, controllerDelayMs"
                    + " must be zero or more and zones not empty");
        }
    }

    private static void positive(String key, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be greater than zero, got " + v);
        }
    }

    /** Three small cities with 4 nodes each (every fourth with 8 GPUs), no pre-seeded workloads. */
    public static LabSpec defaults() {
        return new LabSpec(List.of("chengdu", "mianyang", "zigong"), DEFAULT_BASE_PORT, 4, 32, 128, 500, 4, 8,
                "NVIDIA-A800-SXM4-80GB", List.of("a", "b", "c"), 0, 1, 8, 200, null);
    }

    /** The same lab on free ports (for tests in one JVM). */
    public LabSpec withRandomPorts() {
        return withBasePort(0);
    }

    /** The same lab with the first cluster on {@code port}. */
    public LabSpec withBasePort(int port) {
        return new LabSpec(clusters, port, nodesPerCluster, nodeCpu, nodeMemoryGi, nodeDiskGi, gpuEvery, gpusPerNode,
                gpuType, zones, workloadsPerCluster, workloadReplicas, departments, controllerDelayMs, token);
    }

    /** The same lab with other cluster names. */
    public LabSpec withClusters(String... names) {
        return new LabSpec(List.of(names), basePort, nodesPerCluster, nodeCpu, nodeMemoryGi, nodeDiskGi, gpuEvery,
                gpusPerNode, gpuType, zones, workloadsPerCluster, workloadReplicas, departments, controllerDelayMs, token);
    }

    /** The same lab with {@code nodes} nodes and {@code workloads} pre-seeded workloads per cluster. */
    public LabSpec withScale(int nodes, int workloads) {
        return new LabSpec(clusters, basePort, nodes, nodeCpu, nodeMemoryGi, nodeDiskGi, gpuEvery, gpusPerNode, gpuType,
                zones, workloads, workloadReplicas, departments, controllerDelayMs, token);
    }

    /**
     * The same lab sized for totals across all clusters: {@code totalNodes} and {@code totalWorkloads} are
     * split evenly (rounded up) over the clusters.
     */
    public LabSpec withTotals(int totalNodes, int totalWorkloads) {
        int n = clusters.size();
        return withScale((totalNodes + n - 1) / n, (totalWorkloads + n - 1) / n);
    }

    /** The same lab requiring {@code bearer} as token (null for open clusters). */
    public LabSpec withToken(String bearer) {
        return new LabSpec(clusters, basePort, nodesPerCluster, nodeCpu, nodeMemoryGi, nodeDiskGi, gpuEvery, gpusPerNode,
                gpuType, zones, workloadsPerCluster, workloadReplicas, departments, controllerDelayMs, bearer);
    }

    /**
     * Reads a spec from properties, falling back to {@link #defaults()} for absent keys. Keys are the record's
     * component names; {@code clusters} and {@code zones} are comma-separated.
     */
    public static LabSpec from(Properties p) {
        LabSpec d = defaults();
        return new LabSpec(list(p, "clusters", d.clusters), integer(p, "basePort", d.basePort),
                integer(p, "nodesPerCluster", d.nodesPerCluster), integer(p, "nodeCpu", d.nodeCpu),
                integer(p, "nodeMemoryGi", d.nodeMemoryGi), integer(p, "nodeDiskGi", d.nodeDiskGi),
                integer(p, "gpuEvery", d.gpuEvery), integer(p, "gpusPerNode", d.gpusPerNode),
                p.getProperty("gpuType", d.gpuType).trim(), list(p, "zones", d.zones),
                integer(p, "workloadsPerCluster", d.workloadsPerCluster),
                integer(p, "workloadReplicas", d.workloadReplicas), integer(p, "departments", d.departments),
                integer(p, "controllerDelayMs", (int) d.controllerDelayMs),
                blankToNull(p.getProperty("token")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static List<String> list(Properties p, String key, List<String> fallback) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static int integer(Properties p, String key, int fallback) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }
}
