package org.tianshu.lab.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Seeds one cluster's store: namespaces, nodes and (for scale runs) workloads with their pods already placed
 * and running, as if the cluster had been up for a while.
 */
final class Seeder {
    /** Namespace label that maps a namespace to a Tianshu department. */
    static final String DEPARTMENT_LABEL = "tianshu.io/department";
    /** GPU model label set on GPU nodes (NVIDIA GPU feature discovery's name). */
    static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
    /** Namespace for seeded workloads that belong to no department. */
    static final String UNMAPPED_NAMESPACE = "legacy-apps";

    private static final String[][] SIZES = {{"250m", "256Mi"}, {"500m", "512Mi"}, {"1", "1Gi"}, {"2", "4Gi"}};

    private final String cluster;
    private final LabSpec spec;

    Seeder(String cluster, LabSpec spec) {
        this.cluster = cluster;
        this.spec = spec;
    }

    /** Feeds every seeded object to {@code sink}, in creation order. */
    void seed(Consumer<HasMetadata> sink) {
        sink.accept(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build());
        sink.accept(new NamespaceBuilder().withNewMetadata().withName("kube-system").endMetadata().build());
        NodeBook book = new NodeBook();
        for (int i = 1; i <= spec.nodesPerCluster(); i++) {
            Node n = node(i);
            book.add(n);
            sink.accept(n);
        }
        if (spec.workloadsPerCluster() == 0) {
            return;
        }
        for (int d = 1; d <= spec.departments(); d++) {
            sink.accept(new NamespaceBuilder().withNewMetadata().withName(department(d))
                    .addToLabels(DEPARTMENT_LABEL, department(d)).endMetadata().build());
        }
        sink.accept(new NamespaceBuilder().withNewMetadata().withName(UNMAPPED_NAMESPACE).endMetadata().build());
        Requests smallest = Requests.of(template("x", 0).getSpec());
        for (int i = 1; i <= spec.workloadsPerCluster(); i++) {
            String name = String.format("wl-%06d", i);
            String ns = i % 10 == 0 ? UNMAPPED_NAMESPACE : department(1 + i % spec.departments());
            int size = i % SIZES.length;
            PodTemplateSpec template = template(name, size);
            int r = spec.workloadReplicas();
            HasMetadata w;
            if (i % 5 == 0) {
                w = new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", name)
                        .withUid(UUID.randomUUID().toString()).endMetadata()
                        .withNewSpec().withReplicas(r).withServiceName(name).withNewSelector().addToMatchLabels("app", name)
                        .endSelector().withTemplate(template).endSpec()
                        .withNewStatus().withReplicas(r).withReadyReplicas(r).withAvailableReplicas(r)
                        .withCurrentReplicas(r).withUpdatedReplicas(r).withObservedGeneration(1L).endStatus().build();
            } else {
                w = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", name)
                        .withUid(UUID.randomUUID().toString()).endMetadata()
                        .withNewSpec().withReplicas(r).withNewSelector().addToMatchLabels("app", name).endSelector()
                        .withTemplate(template).endSpec()
                        .withNewStatus().withReplicas(r).withReadyReplicas(r).withAvailableReplicas(r)
                        .withUpdatedReplicas(r).withObservedGeneration(1L).endStatus().build();
            }
            sink.accept(w);
            Controller c = Controller.of(w);
            Requests req = Requests.of(template.getSpec());
            for (int k = 0; k < r; k++) {
                book.skipFull(smallest);
                String node = book.place(req);
                String pod = c.stateful() ? name + "-" + k : name + "-" + Integer.toString(i * 31 + k, 36) + "-seed";
                sink.accept(Pods.build(c, pod, node, node != null, node == null ? book.whyNot(req) : null));
            }
        }
    }

    static String department(int d) {
        return String.format("dept-%02d", d);
    }

    private static PodTemplateSpec template(String name, int size) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.lab/tianshu/app:1")
                .withNewResources().addToRequests("cpu", new Quantity(SIZES[size][0]))
                .addToRequests("memory", new Quantity(SIZES[size][1])).endResources().endContainer().endSpec().build();
    }

    private Node node(int i) {
        String name = String.format("%s-node-%05d", cluster, i);
        String zone = cluster + "-" + spec.zones().get((i - 1) % spec.zones().size());
        boolean gpu = spec.gpuEvery() > 0 && spec.gpusPerNode() > 0 && i % spec.gpuEvery() == 0;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("topology.kubernetes.io/region", cluster);
        labels.put("topology.kubernetes.io/zone", zone);
        labels.put("node.kubernetes.io/instance-type", gpu ? "gpu." + spec.nodeCpu() + "c" : "general." + spec.nodeCpu() + "c");
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(String.valueOf(spec.nodeCpu())));
        capacity.put("memory", new Quantity(spec.nodeMemoryGi() + "Gi"));
        capacity.put("ephemeral-storage", new Quantity(spec.nodeDiskGi() + "Gi"));
        capacity.put("pods", new Quantity("250"));
        Map<String, Quantity> allocatable = new LinkedHashMap<>();
        allocatable.put("cpu", new Quantity((spec.nodeCpu() * 1000L - 500) + "m"));
        allocatable.put("memory", new Quantity((spec.nodeMemoryGi() * 1024L - 2048) + "Mi"));
        allocatable.put("ephemeral-storage", new Quantity((spec.nodeDiskGi() * 9L / 10) + "Gi"));
        allocatable.put("pods", new Quantity("250"));
        if (gpu) {
            labels.put(GPU_PRODUCT_LABEL, spec.gpuType());
            labels.put("nvidia.com/gpu.count", String.valueOf(spec.gpusPerNode()));
            capacity.put(Requests.GPU, new Quantity(String.valueOf(spec.gpusPerNode())));
            allocatable.put(Requests.GPU, new Quantity(String.valueOf(spec.gpusPerNode())));
        }
        String now = java.time.Instant.now().toString();
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withPodCIDR("10.244." + (i % 250) + ".0/24").endSpec()
                .withNewStatus().withCapacity(capacity).withAllocatable(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status (emulated)").withLastHeartbeatTime(now)
                .withLastTransitionTime(now).endCondition()
                .addNewAddress().withType("InternalIP").withAddress("10.0." + (i / 250) + "." + (i % 250)).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.31.0").withContainerRuntimeVersion("containerd://1.7.22")
                .withOsImage("openEuler 22.03 (LTS-SP4)").withArchitecture(i % 2 == 0 ? "arm64" : "amd64")
                .withOperatingSystem("linux").endNodeInfo()
                .endStatus().build();
    }
}
