package org.tianshu.lab.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulated cluster behaves as the adapter expects from a real one. */
class LabClustersTest {
    private static LabClusters lab;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        lab = LabClusters.start(LabSpec.defaults().withClusters("chengdu", "zigong").withRandomPorts().withScale(4, 20));
        client = lab.cluster("chengdu").client();
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    static void eventually(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(end);
            Thread.sleep(50);
        }
    }

    static List<Pod> pods(String ns, String app) {
        return client.pods().inNamespace(ns).withLabel("app", app).list().getItems();
    }

    static Deployment deployment(String ns, String name, int replicas, String cpu) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("img").withNewResources().addToRequests("cpu", new Quantity(cpu))
                .addToRequests("memory", new Quantity("1Gi")).endResources().endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    @Test
    void clustersListenOnTheirOwnPortsWithSeededNodesAndWorkloads() {
        assertThat(lab.endpoints()).containsOnlyKeys("chengdu", "zigong");
        assertThat(lab.cluster("chengdu").port()).isNotEqualTo(lab.cluster("zigong").port());
        var nodes = lab.cluster("zigong").client().nodes().list().getItems();
        assertThat(nodes).hasSize(4);
        assertThat(nodes.get(3).getStatus().getAllocatable()).containsKeys("cpu", "memory", "ephemeral-storage",
                "nvidia.com/gpu");
        assertThat(nodes.get(3).getMetadata().getLabels()).containsKeys("topology.kubernetes.io/zone",
                "nvidia.com/gpu.product");
        var deployments = lab.cluster("zigong").client().apps().deployments().inAnyNamespace().list().getItems();
        var sets = lab.cluster("zigong").client().apps().statefulSets().inAnyNamespace().list().getItems();
        assertThat(deployments.size() + sets.size()).isEqualTo(20);
        assertThat(sets).hasSize(4).allMatch(s -> s.getStatus().getReadyReplicas() == 1);
        assertThat(lab.cluster("zigong").client().pods().inAnyNamespace().list().getItems()).hasSize(20)
                .allMatch(p -> "Running".equals(p.getStatus().getPhase()) && p.getSpec().getNodeName() != null);
        assertThat(lab.cluster("zigong").client().namespaces().withName("dept-01").get().getMetadata().getLabels())
                .containsEntry("tianshu.io/department", "dept-01");
    }

    @Test
    void deploymentScalesUpAndDownAndTakesItsPodsAlong() throws Exception {
        client.apps().deployments().inNamespace("default").resource(deployment("default", "web", 3, "500m")).create();
        eventually("3 pods running and status ready", () -> pods("default", "web").size() == 3
                && pods("default", "web").stream().allMatch(p -> "Running".equals(p.getStatus().getPhase()))
                && ready("web") == 3);
        Pod pod = pods("default", "web").get(0);
        assertThat(pod.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Deployment");
        assertThat(pod.getSpec().getContainers().get(0).getResources().getRequests()).containsEntry("cpu", new Quantity("500m"));
        assertThat(lab.cluster("chengdu").bookedCpuMillis(pod.getSpec().getNodeName())).isGreaterThanOrEqualTo(1500);

        client.apps().deployments().inNamespace("default").withName("web").scale(1);
        eventually("scaled to 1", () -> pods("default", "web").size() == 1 && ready("web") == 1);

        client.apps().deployments().inNamespace("default").withName("web").delete();
        eventually("pods deleted with the deployment", () -> pods("default", "web").isEmpty());
    }

    @Test
    void metricsApiReportsRunningPodsAtTheirTemplatesUseAndNodesAsTheirSum() throws Exception {
        Deployment idle = deployment("metrics", "idle", 2, "1");
        idle.getSpec().getTemplate().getMetadata().setAnnotations(java.util.Map.of(MetricsServer.CPU_USE, "0.02"));
        client.apps().deployments().inNamespace("metrics").resource(idle).create();
        client.apps().deployments().inNamespace("metrics").resource(deployment("metrics", "busy", 1, "2")).create();
        eventually("3 pods running", () -> client.pods().inNamespace("metrics").list().getItems().stream()
                .filter(p -> "Running".equals(p.getStatus().getPhase())).count() == 3);

        // like metrics-server, the report follows the kubelets with a delay
        eventually("3 pods measured", () -> client.top().pods().metrics("metrics").getItems().size() == 3);
        var pods = client.top().pods().metrics("metrics").getItems();
        for (var m : pods) {
            Quantity cpu = m.getContainers().get(0).getUsage().get("cpu");
            // idle: 2% of 1 core; busy: the default half of 2 cores
            assertThat(Quantity.getAmountInBytes(cpu).doubleValue())
                    .isEqualTo(m.getMetadata().getName().startsWith("idle") ? 0.02 : 1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(m.getContainers().get(0).getName()).isEqualTo("c");
        }
        String node = client.pods().inNamespace("metrics").withLabel("app", "busy").list().getItems().get(0).getSpec().getNodeName();
        double podsOnNode = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> node.equals(p.getSpec().getNodeName()) && "Running".equals(p.getStatus().getPhase()))
                .mapToDouble(p -> Quantity.getAmountInBytes(client.top().pods().metrics(p.getMetadata().getNamespace(),
                        p.getMetadata().getName()).getContainers().get(0).getUsage().get("cpu")).doubleValue())
                .sum();
        assertThat(Quantity.getAmountInBytes(client.top().nodes().metrics(node).getUsage().get("cpu")).doubleValue())
                .isEqualTo(podsOnNode, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(client.top().nodes().metrics().getItems()).as("every node, used or not")
                .extracting(n -> n.getMetadata().getName()).hasSize(4).contains(node);

        client.apps().deployments().inNamespace("metrics").withName("idle").delete();
        eventually("the deleted workload's pods leave the metrics", () -> client.top().pods().metrics("metrics").getItems().size() == 1);
    }

    private static int ready(String name) {
        Deployment d = client.apps().deployments().inNamespace("default").withName(name).get();
        return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? -1
                : d.getStatus().getReadyReplicas();
    }

    @Test
    void statefulSetPodsHaveOrdinalsAndScaleDownFromTheTop() throws Exception {
        HasMetadata s = new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(3).withServiceName("db").withNewSelector().addToMatchLabels("app", "db")
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "db").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("pg").endContainer().endSpec().endTemplate().endSpec().build();
        client.resource(s).create();
        eventually("db-0..2", () -> pods("default", "db").stream().map(p -> p.getMetadata().getName()).sorted().toList()
                .equals(List.of("db-0", "db-1", "db-2")));
        client.apps().statefulSets().inNamespace("default").withName("db").scale(2);
        eventually("db-2 removed", () -> pods("default", "db").stream().map(p -> p.getMetadata().getName()).sorted()
                .toList().equals(List.of("db-0", "db-1")));
        client.apps().statefulSets().inNamespace("default").withName("db").delete();
        eventually("db pods deleted", () -> pods("default", "db").isEmpty());
    }

    @Test
    void unschedulablePodWaitsUntilCapacityFrees() throws Exception {
        KubernetesClient c = lab.cluster("zigong").client();
        c.apps().deployments().inNamespace("default").resource(deployment("default", "hog", 4, "29")).create();
        c.apps().deployments().inNamespace("default").resource(deployment("default", "late", 1, "29")).create();
        eventually("late pending", () -> c.pods().inNamespace("default").withLabel("app", "late").list().getItems()
                .stream().anyMatch(p -> p.getSpec().getNodeName() == null
                        && "Unschedulable".equals(p.getStatus().getConditions().get(0).getReason())));
        c.apps().deployments().inNamespace("default").withName("hog").delete();
        eventually("late running", () -> c.pods().inNamespace("default").withLabel("app", "late").list().getItems()
                .stream().allMatch(p -> p.getSpec().getNodeName() != null && "Running".equals(p.getStatus().getPhase())));
        c.apps().deployments().inNamespace("default").withName("late").delete();
    }

    @Test
    void specFromPropertiesNamesTheBadKey() {
        Properties p = new Properties();
        p.setProperty("clusters", "leshan, yibin");
        p.setProperty("nodesPerCluster", "7");
        LabSpec spec = LabSpec.from(p);
        assertThat(spec.clusters()).containsExactly("leshan", "yibin");
        assertThat(spec.nodesPerCluster()).isEqualTo(7);
        assertThat(spec.basePort()).isEqualTo(16443);
        assertThat(spec.withTotals(10_000, 100_000).nodesPerCluster()).isEqualTo(5000);
        p.setProperty("workloadsPerCluster", "many");
        assertThatThrownBy(() -> LabSpec.from(p)).hasMessageContaining("workloadsPerCluster");
        p.setProperty("workloadsPerCluster", "1");
        p.setProperty("clusters", "Bad_Name");
        assertThatThrownBy(() -> LabSpec.from(p)).hasMessageContaining("clusters");
    }
}
