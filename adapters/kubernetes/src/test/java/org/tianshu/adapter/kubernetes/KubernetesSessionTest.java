package org.tianshu.adapter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.TianshuException.Kind;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.CloudSnapshot;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.lab.kubernetes.LabCluster;
import org.tianshu.lab.kubernetes.LabClusters;
import org.tianshu.lab.kubernetes.LabSpec;

/** The driver against an in-process lab cluster (fabric8 mock API server + emulated controllers) over HTTP. */
class KubernetesSessionTest {
    private static LabClusters lab;
    private static LabCluster chengdu;
    private static CloudSession session;
    private static final KubernetesDriver DRIVER = new KubernetesDriver();

    @BeforeAll
    static void startLab() throws Exception {
        lab = LabClusters.start(LabSpec.defaults().withClusters("chengdu", "mianyang").withRandomPorts());
        chengdu = lab.cluster("chengdu");
        session = DRIVER.open(cloud("chengdu-k8s", chengdu.url(), Map.of()), null);
    }

    @AfterAll
    static void stopLab() {
        if (session != null) {
            session.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    static Cloud cloud(String id, String url, Map<String, String> options) {
        return new Cloud(id, id, CloudKind.KUBERNETES, "chengdu", "sc", 3, false, url, "k8s", options);
    }

    static String department() {
        return "dept-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static <T> T eventually(Supplier<T> probe, java.util.function.Predicate<T> done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        T v = probe.get();
        while (!done.test(v) && System.nanoTime() < end) {
            Thread.sleep(50);
            v = probe.get();
        }
        return v;
    }

    static Resources allocatedTotal(CloudSnapshot s) {
        return s.hosts().stream().map(Host::allocated).reduce(Resources.ZERO, Resources::plus);
    }

    @Test
    void discoversNodesWithCapacityZoneGpusAndState() {
        CloudSnapshot s = session.discover();
        assertThat(s.hosts()).hasSizeGreaterThanOrEqualTo(4);
        Host first = s.hosts().stream().filter(h -> h.name().equals("chengdu-node-00001")).findFirst().orElseThrow();
        assertThat(first.cloudId()).isEqualTo("chengdu-k8s");
        assertThat(first.capacity()).isEqualTo(new Resources(31_500, 128 * 1024 - 2048, 450, 0));
        assertThat(first.zone()).isEqualTo("chengdu-a");
        assertThat(first.gpuType()).isNull();
        assertThat(first.up()).isTrue();
        Host gpu = s.hosts().stream().filter(h -> h.name().equals("chengdu-node-00004")).findFirst().orElseThrow();
        assertThat(gpu.capacity().gpus()).isEqualTo(8);
        assertThat(gpu.gpuType()).isEqualTo("NVIDIA-A800-SXM4-80GB");
        assertThat(gpu.zone()).isEqualTo("chengdu-a");
        assertThat(s.hosts()).extracting(Host::zone).contains("chengdu-b", "chengdu-c");
        assertThat(s.flavors()).isEmpty();
        assertThat(s.images()).isEmpty();
    }

    @Test
    void cordonedAndNotReadyNodesAreDown() {
        chengdu.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("chengdu-cordoned")
                .addToLabels("topology.kubernetes.io/zone", "chengdu-b").endMetadata()
                .withNewSpec().withUnschedulable(true).endSpec()
                .withNewStatus().addToAllocatable("cpu", new Quantity("4")).addToAllocatable("memory", new Quantity("8Gi"))
                .endStatus().build()).create();
        chengdu.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("chengdu-notready").endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity("4")).addNewCondition().withType("Ready")
                .withStatus("False").endCondition().endStatus().build()).create();
        chengdu.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("chengdu-bare").endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity("2")).endStatus().build()).create();
        try {
            Map<String, Host> hosts = new java.util.HashMap<>();
            session.discover().hosts().forEach(h -> hosts.put(h.name(), h));
            assertThat(hosts.get("chengdu-cordoned").up()).isFalse();
            assertThat(hosts.get("chengdu-cordoned").capacity()).isEqualTo(new Resources(4000, 8192, 0, 0));
            assertThat(hosts.get("chengdu-notready").up()).isFalse();
            assertThat(hosts.get("chengdu-bare").up()).as("no conditions and schedulable").isTrue();
        } finally {
            chengdu.client().nodes().withName("chengdu-cordoned").delete();
            chengdu.client().nodes().withName("chengdu-notready").delete();
            chengdu.client().nodes().withName("chengdu-bare").delete();
        }
    }

    @Test
    void usageComesFromTheResourceMetricsApi() throws Exception {
        String dept = department();
        // the lab's metrics-server: a pod uses its requests times this template annotation
        var idle = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata().withName("archive")
                .withNamespace(dept).endMetadata().withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "archive")
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "archive")
                .addToAnnotations("lab.tianshu.org/cpu-use", "0.03").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("img").withNewResources().addToRequests("cpu", new Quantity("2")).endResources().endContainer()
                .endSpec().endTemplate().endSpec().build();
        chengdu.client().apps().deployments().inNamespace(dept).resource(idle).create();
        String id = dept + "/deployment/archive";
        assertThat(eventually(() -> session.state(id), WorkloadState.ACTIVE::equals)).isEqualTo(WorkloadState.ACTIVE);

        // metrics-server reports the pods a little after they run
        var usage = eventually(() -> session.usage(), l -> l.stream().anyMatch(u -> id.equals(u.workloadId())));
        var workload = usage.stream().filter(u -> id.equals(u.workloadId())).findFirst().orElseThrow();
        assertThat(workload.cloudId()).isEqualTo("chengdu-k8s");
        assertThat(workload.cpu()).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-9));
        String node = workload.host();
        assertThat(chengdu.client().pods().inNamespace(dept).list().getItems()).extracting(p -> p.getSpec().getNodeName()).contains(node);
        // a node: what its pods use over its allocatable 31.5 cores, as the metrics API reports it
        double nodeMillis = Quantity.getAmountInBytes(chengdu.client().top().nodes().metrics(node).getUsage().get("cpu")).doubleValue() * 1000;
        assertThat(nodeMillis).isGreaterThanOrEqualTo(60); // at least this workload's pods on it: 3% of 2 cores each
        assertThat(usage.stream().filter(u -> u.workloadId() == null && u.host().equals(node)).findFirst().orElseThrow().cpu())
                .isCloseTo(nodeMillis / 31_500, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(usage.stream().filter(u -> u.workloadId() == null)).extracting(u -> u.host()).doesNotHaveDuplicates();

        chengdu.client().apps().deployments().inNamespace(dept).withName("archive").delete();
        assertThat(eventually(() -> session.usage(), l -> l.stream().noneMatch(u -> id.equals(u.workloadId()))))
                .noneMatch(u -> id.equals(u.workloadId()));
    }

    @Test
    void deploymentForNewDepartmentBecomesActiveAndIsDiscovered() throws Exception {
        String dept = department();
        String request = UUID.randomUUID().toString();
        Resources before = allocatedTotal(session.discover());
        WorkloadSpec spec = WorkloadSpec.container("portal", dept, "registry.lab/health/portal:2.1", 3, 1500, 2048, 0,
                "deployment");

        assertThat(session.demand(spec)).isEqualTo(new Resources(4500, 6144, 0, 0));
        String id = session.create(spec, request);

        assertThat(id).isEqualTo(dept + "/deployment/portal");
        var ns = chengdu.client().namespaces().withName(dept).get();
        assertThat(ns).isNotNull();
        assertThat(ns.getMetadata().getLabels()).containsEntry("tianshu.io/department", dept);
        var d = chengdu.client().apps().deployments().inNamespace(dept).withName("portal").get();
        assertThat(d.getMetadata().getLabels()).containsEntry("tianshu.io/request", request);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("cpu", new Quantity("1500m")).containsEntry("memory", new Quantity("2048Mi"));
        assertThat(eventually(() -> session.state(id), WorkloadState.ACTIVE::equals)).isEqualTo(WorkloadState.ACTIVE);
        assertThat(session.findByRequest(request)).contains(id);
        assertThat(session.findByRequest(UUID.randomUUID().toString())).isEmpty();

        CloudSnapshot after = session.discover();
        assertThat(allocatedTotal(after).minus(before)).isEqualTo(new Resources(4500, 6144, 0, 0));
        Workload w = after.workloads().stream().filter(x -> x.externalId().equals(id)).findFirst().orElseThrow();
        assertThat(w.name()).isEqualTo("portal");
        assertThat(w.kind()).isEqualTo(WorkloadKind.CONTAINER);
        assertThat(w.departmentId()).isEqualTo(dept);
        assertThat(w.requestId()).isEqualTo(request);
        assertThat(w.state()).isEqualTo(WorkloadState.ACTIVE);
        assertThat(w.resources()).isEqualTo(new Resources(4500, 6144, 0, 0));
        assertThat(w.host()).as("three 1.5-core pods fit first-fit on one node").isEqualTo("chengdu-node-00001");

        assertThat(session.create(spec, request)).as("retry of the same request").isEqualTo(id);
        assertThatThrownBy(() -> session.create(spec, UUID.randomUUID().toString()))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("name");
                });

        session.delete(id);
        assertThat(eventually(() -> allocatedTotal(session.discover()), before::equals)).isEqualTo(before);
        assertThat(session.state(id)).isEqualTo(WorkloadState.GONE);
        session.delete(id);
        assertThat(session.findByRequest(request)).isEmpty();
    }

    @Test
    void moveReschedulesThePodsOntoTheTargetNode() throws Exception {
        String dept = department();
        String id = session.create(WorkloadSpec.container("mover", dept, "registry.lab/health/api:1", 2, 500, 512, 0,
                "deployment"), UUID.randomUUID().toString());
        assertThat(eventually(() -> session.state(id), WorkloadState.ACTIVE::equals)).isEqualTo(WorkloadState.ACTIVE);
        String from = eventually(() -> session.hostOf(id).orElse(null), java.util.Objects::nonNull);
        assertThat(from).isNotNull();
        String target = from.equals("chengdu-node-00002") ? "chengdu-node-00003" : "chengdu-node-00002";

        session.move(id, target);

        assertThat(eventually(() -> session.hostOf(id).orElse(""), target::equals)).isEqualTo(target);
        assertThat(chengdu.client().pods().inNamespace(dept).list().getItems()).hasSize(2)
                .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(target));
        assertThat(eventually(() -> session.state(id), WorkloadState.ACTIVE::equals)).isEqualTo(WorkloadState.ACTIVE);
        // moving it where it is changes nothing; unknown nodes and workloads are named
        session.move(id, target);
        assertThat(session.hostOf(id)).contains(target);
        assertThatThrownBy(() -> session.move(id, "lhasa-node")).isInstanceOfSatisfying(TianshuException.class,
                e -> assertThat(e.field()).isEqualTo("targetHost"));
        assertThatThrownBy(() -> session.move(dept + "/deployment/nothing", target)).isInstanceOfSatisfying(
                TianshuException.class, e -> assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND));
    }

    @Test
    void createOnAChosenNodeLandsThere() throws Exception {
        String dept = department();
        String id = session.create(WorkloadSpec.container("pinned", dept, "registry.lab/health/api:1", 2, 500, 512, 0,
                "deployment"), UUID.randomUUID().toString(), java.util.Set.of("chengdu-node-00003"));
        assertThat(eventually(() -> session.state(id), WorkloadState.ACTIVE::equals)).isEqualTo(WorkloadState.ACTIVE);
        assertThat(eventually(() -> session.hostOf(id).orElse(""), "chengdu-node-00003"::equals)).isEqualTo("chengdu-node-00003");
        assertThat(chengdu.client().pods().inNamespace(dept).list().getItems()).hasSize(2)
                .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("chengdu-node-00003"));

        // several nodes: a required node affinity to them (the lab's emulated scheduler only honours the
        // nodeSelector, so only the template is checked); a later move replaces it by the nodeSelector
        String spread = session.create(WorkloadSpec.container("spread", dept, "registry.lab/health/api:1", 2, 500, 512, 0,
                "statefulset"), UUID.randomUUID().toString(), java.util.Set.of("chengdu-node-00004", "chengdu-node-00002"));
        var template = chengdu.client().apps().statefulSets().inNamespace(dept).withName("spread").get().getSpec().getTemplate();
        assertThat(java.util.Optional.ofNullable(template.getSpec().getNodeSelector()).orElse(Map.of()))
                .doesNotContainKey("kubernetes.io/hostname");
        assertThat(template.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()).singleElement().satisfies(t -> assertThat(t.getMatchExpressions()).singleElement()
                        .satisfies(e -> {
                            assertThat(e.getKey()).isEqualTo("kubernetes.io/hostname");
                            assertThat(e.getOperator()).isEqualTo("In");
                            assertThat(e.getValues()).containsExactly("chengdu-node-00002", "chengdu-node-00004");
                        }));
        session.move(spread, "chengdu-node-00002");
        template = chengdu.client().apps().statefulSets().inNamespace(dept).withName("spread").get().getSpec().getTemplate();
        assertThat(template.getSpec().getNodeSelector()).containsEntry("kubernetes.io/hostname", "chengdu-node-00002");
        assertThat(template.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).isNull();

        // an unknown node is named, and nothing is created
        assertThatThrownBy(() -> session.create(WorkloadSpec.container("nowhere", dept, "registry.lab/health/api:1", 1, 500,
                512, 0, "deployment"), UUID.randomUUID().toString(), java.util.Set.of("lhasa-node")))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
                    assertThat(e.field()).isEqualTo("hosts");
                    assertThat(e.getMessage()).contains("lhasa-node");
                });
        assertThat(chengdu.client().apps().deployments().inNamespace(dept).withName("nowhere").get()).isNull();
        session.delete(id);
        session.delete(spread);
    }

    @Test
    void statefulSetWithGpusLandsOnGpuNode() throws Exception {
        String dept = department();
        String request = "req/" + UUID.randomUUID();
        WorkloadSpec spec = WorkloadSpec.container("trainer", dept, "registry.lab/ai/trainer:1", 2, 4000, 16384, 2,
                "statefulset");
        String id = session.create(spec, request);
        assertThat(id).isEqualTo(dept + "/statefulset/trainer");
        assertThat(eventually(() -> session.state(id), WorkloadState.ACTIVE::equals)).isEqualTo(WorkloadState.ACTIVE);
        assertThat(chengdu.client().pods().inNamespace(dept).list().getItems())
                .extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("trainer-0", "trainer-1");
        assertThat(session.findByRequest(request)).as("request id that is no label value").contains(id);
        CloudSnapshot s = session.discover();
        Workload w = s.workloads().stream().filter(x -> x.externalId().equals(id)).findFirst().orElseThrow();
        assertThat(w.resources()).isEqualTo(new Resources(8000, 32768, 0, 4));
        assertThat(w.requestId()).isEqualTo(request);
        assertThat(w.departmentId()).isEqualTo(dept);
        assertThat(w.host()).isEqualTo("chengdu-node-00004");
        Host gpu = s.hosts().stream().filter(h -> h.name().equals("chengdu-node-00004")).findFirst().orElseThrow();
        assertThat(gpu.allocated().gpus()).isGreaterThanOrEqualTo(4);
        session.delete(id);
        assertThat(eventually(() -> session.state(id), WorkloadState.GONE::equals)).isEqualTo(WorkloadState.GONE);
    }

    @Test
    void workloadThatFitsNowhereStaysBuilding() throws Exception {
        String dept = department();
        String id = session.create(WorkloadSpec.container("huge", dept, "img:1", 1, 64_000, 1024, 0, "deployment"),
                UUID.randomUUID().toString());
        Thread.sleep(600);
        assertThat(session.state(id)).isEqualTo(WorkloadState.BUILDING);
        var pods = chengdu.client().pods().inNamespace(dept).list().getItems();
        assertThat(pods).hasSize(1);
        assertThat(pods.get(0).getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pods.get(0).getStatus().getConditions().get(0).getReason()).isEqualTo("Unschedulable");
        session.delete(id);
    }

    @Test
    void namespacesWithoutDepartmentAndSystemNamespaces() {
        chengdu.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("legacy").endMetadata().build()).create();
        for (String ns : List.of("legacy", "kube-system")) {
            chengdu.client().apps().deployments().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                    .withNewMetadata().withName("old-" + ns).withNamespace(ns).endMetadata().withNewSpec().withReplicas(1)
                    .withNewSelector().addToMatchLabels("app", "old").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "old").endMetadata().withNewSpec()
                    .addNewContainer().withName("c").withImage("x").withNewResources()
                    .addToRequests("cpu", new Quantity("100m")).endResources().endContainer().endSpec().endTemplate()
                    .endSpec().build()).create();
        }
        List<Workload> ws = session.discover().workloads();
        Workload legacy = ws.stream().filter(w -> w.externalId().equals("legacy/deployment/old-legacy")).findFirst()
                .orElseThrow();
        assertThat(legacy.departmentId()).isNull();
        assertThat(legacy.requestId()).isNull();
        assertThat(legacy.resources()).isEqualTo(new Resources(100, 0, 0, 0));
        assertThat(ws).extracting(Workload::externalId).doesNotContain("kube-system/deployment/old-kube-system");
        chengdu.client().apps().deployments().inNamespace("legacy").withName("old-legacy").delete();
        chengdu.client().apps().deployments().inNamespace("kube-system").withName("old-kube-system").delete();
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                Arguments.of(WorkloadSpec.container("web", "health", null, 1, 100, 128, 0, "deployment"), "image"),
                Arguments.of(WorkloadSpec.container("web", "health", " ", 1, 100, 128, 0, "deployment"), "image"),
                Arguments.of(WorkloadSpec.container("web", "health", "img", 0, 100, 128, 0, "deployment"), "replicas"),
                Arguments.of(WorkloadSpec.container("web", "health", "img", 1, 0, 128, 0, "deployment"), "cpuMillis"),
                Arguments.of(WorkloadSpec.container("web", "health", "img", 1, 100, 0, 0, "deployment"), "memoryMiB"),
                Arguments.of(WorkloadSpec.container("web", "health", "img", 1, 100, 128, -1, "deployment"), "gpus"),
                Arguments.of(WorkloadSpec.container("web", "health", "img", 1, 100, 128, 0, "daemonset"), "controller"),
                Arguments.of(WorkloadSpec.container("web", "health", "img", 1, 100, 128, 0, null), "controller"),
                Arguments.of(WorkloadSpec.container("Web_1", "health", "img", 1, 100, 128, 0, "deployment"), "name"),
                Arguments.of(WorkloadSpec.container("web", null, "img", 1, 100, 128, 0, "deployment"), "departmentId"),
                Arguments.of(WorkloadSpec.vm("web", "health", "m1.small", "ubuntu", null), "kind"));
    }

    @ParameterizedTest
    @MethodSource("invalidSpecs")
    void invalidSpecsAreRefusedNamingTheField(WorkloadSpec spec, String field) {
        for (Runnable call : List.<Runnable>of(() -> session.demand(spec), () -> session.create(spec, "r-1"))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(TianshuException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.INVALID);
                assertThat(e.field()).isEqualTo(field);
            });
        }
        assertThat(chengdu.client().namespaces().withName("health").get()).as("nothing created").isNull();
    }

    @Test
    void invalidExternalIdNamesTheField() {
        assertThatThrownBy(() -> session.state("just-a-name")).isInstanceOfSatisfying(TianshuException.class,
                e -> assertThat(e.field()).isEqualTo("externalId"));
        assertThatThrownBy(() -> session.delete("ns/daemonset/x")).isInstanceOfSatisfying(TianshuException.class,
                e -> assertThat(e.field()).isEqualTo("externalId"));
    }

    @Test
    void unreachableEndpointIsUpstreamNamingEndpoint() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> DRIVER.open(cloud("nowhere", url, Map.of()), null))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM);
                    assertThat(e.field()).isEqualTo("endpoint");
                    assertThat(e.getMessage()).contains("nowhere");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> DRIVER.open(cloud("bad", "ftp://x", Map.of()), null))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("endpoint"));
        assertThatThrownBy(() -> DRIVER.open(cloud("bad", chengdu.url(), Map.of("trustCerts", "maybe")), null))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("options.trustCerts"));
    }

    @Test
    void wrongTokenIsInvalidCredentials() throws Exception {
        try (LabClusters secured = LabClusters.start(LabSpec.defaults().withClusters("zigong").withRandomPorts()
                .withToken("s3cret"))) {
            String url = secured.cluster("zigong").url();
            for (Credentials c : List.of(new Credentials("k8s", Map.of("token", "wrong")), new Credentials("k8s", Map.of()))) {
                assertThatThrownBy(() -> DRIVER.open(cloud("zigong-k8s", url, Map.of()), c))
                        .isInstanceOfSatisfying(TianshuException.class, e -> {
                            assertThat(e.kind()).isEqualTo(Kind.INVALID);
                            assertThat(e.field()).isEqualTo("credentials");
                        });
            }
            try (CloudSession s = DRIVER.open(cloud("zigong-k8s", url, Map.of("trustCerts", "true")),
                    new Credentials("k8s", Map.of("token", "s3cret")))) {
                assertThat(s.discover().hosts()).hasSize(4);
            }
        }
    }

    @Test
    void applyQuotaCreatesUpdatesAndRemovesTheResourceQuota() {
        String dept = department();
        Map<QuotaResource, Long> limits = new EnumMap<>(QuotaResource.class);
        limits.put(QuotaResource.CPU, 64_000L);
        limits.put(QuotaResource.MEMORY, 131_072L);
        limits.put(QuotaResource.GPUS, 4L);
        limits.put(QuotaResource.INSTANCES, 20L);
        limits.put(QuotaResource.DISK, 500L);
        session.applyQuota(dept, limits);

        assertThat(chengdu.client().namespaces().withName(dept).get().getMetadata().getLabels())
                .containsEntry("tianshu.io/department", dept);
        ResourceQuota q = chengdu.client().resourceQuotas().inNamespace(dept).withName("tianshu").get();
        assertThat(q.getSpec().getHard()).containsOnly(
                Map.entry("requests.cpu", new Quantity("64000m")),
                Map.entry("requests.memory", new Quantity("131072Mi")),
                Map.entry("requests.nvidia.com/gpu", new Quantity("4")),
                Map.entry("requests.ephemeral-storage", new Quantity("500Gi")),
                Map.entry("count/deployments.apps", new Quantity("20")),
                Map.entry("count/statefulsets.apps", new Quantity("20")));

        session.applyQuota(dept, Map.of(QuotaResource.CPU, 8_000L));
        q = chengdu.client().resourceQuotas().inNamespace(dept).withName("tianshu").get();
        assertThat(q.getSpec().getHard()).containsOnly(Map.entry("requests.cpu", new Quantity("8000m")));

        session.applyQuota(dept, Map.of());
        assertThat(chengdu.client().resourceQuotas().inNamespace(dept).withName("tianshu").get()).isNull();

        assertThatThrownBy(() -> session.applyQuota(dept, Map.of(QuotaResource.CPU, -1L)))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("limits.cpu"));
        assertThatThrownBy(() -> session.applyQuota("Not Valid", Map.of()))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("departmentId"));
    }

    @Test
    void sessionsToSeveralClustersAreIndependent() {
        try (CloudSession mianyang = DRIVER.open(cloud("mianyang-k8s", lab.cluster("mianyang").url(), Map.of()), null)) {
            List<Host> hosts = mianyang.discover().hosts();
            assertThat(hosts).extracting(Host::name).allMatch(n -> n.startsWith("mianyang-node-"));
            assertThat(hosts).extracting(Host::cloudId).containsOnly("mianyang-k8s");
        }
        assertThat(DRIVER.kind()).isEqualTo(CloudKind.KUBERNETES);
    }
}
