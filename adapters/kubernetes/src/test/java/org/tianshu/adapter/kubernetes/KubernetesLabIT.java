package org.tianshu.adapter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tianshu.api.testing.LabScripts;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.CloudSnapshot;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;

/**
 * The driver against the lab as a separate process, started with {@code lab/kubernetes.sh start} (ports 26443+,
 * state under target/) and stopped afterwards: the same path as an operator onboarding a city cluster.
 */
class KubernetesLabIT {
    private static final int BASE_PORT = 26443;
    private static Path labDir;
    private static boolean started;

    @BeforeAll
    static void startLab() throws Exception {
        labDir = Path.of("target", "lab").toAbsolutePath();
        Files.createDirectories(labDir);
        lab("start");
        started = true;
    }

    @AfterAll
    static void stopLab() {
        if (started) {
            lab("stop");
        }
    }

    /** Its own lab (state under target/, ports 26443+), apart from the default one other tests share. */
    private static void lab(String command) {
        LabScripts.run(Map.of("TIANSHU_LAB_DIR", labDir.toString(), "K8S_LAB_BASE_PORT", String.valueOf(BASE_PORT),
                "K8S_LAB_CLUSTERS", "chengdu,mianyang,zigong", "K8S_LAB_NODES", "6", "K8S_LAB_WORKLOADS", "50"),
                "kubernetes.sh", command);
    }

    private static Cloud cloud(String city, int port) {
        return new Cloud(city + "-k8s", city, CloudKind.KUBERNETES, city, "sc", 3, false, "http://127.0.0.1:" + port,
                "lab", Map.of());
    }

    @Test
    void startIsIdempotentAndStatusReportsRunning() throws Exception {
        // a non-zero exit fails the call
        assertThatCode(() -> lab("start")).as("second start").doesNotThrowAnyException();
        assertThatCode(() -> lab("status")).as("status").doesNotThrowAnyException();
        assertThat(Files.readString(labDir.resolve("kubernetes/endpoints")))
                .contains("chengdu=http://127.0.0.1:" + BASE_PORT, "zigong=http://127.0.0.1:" + (BASE_PORT + 2));
    }

    @Test
    void discoversEveryCityWithSeededWorkloads() {
        KubernetesDriver driver = new KubernetesDriver();
        List<String> cities = List.of("chengdu", "mianyang", "zigong");
        for (int i = 0; i < cities.size(); i++) {
            try (CloudSession s = driver.open(cloud(cities.get(i), BASE_PORT + i), null)) {
                CloudSnapshot snap = s.discover();
                assertThat(snap.hosts()).hasSize(6).allMatch(Host::up);
                assertThat(snap.workloads()).hasSize(50).allMatch(w -> w.state() == WorkloadState.ACTIVE);
                assertThat(snap.workloads()).filteredOn(w -> w.departmentId() == null).hasSize(5);
                Resources claimed = snap.workloads().stream().map(Workload::resources).reduce(Resources.ZERO, Resources::plus);
                Resources allocated = snap.hosts().stream().map(Host::allocated).reduce(Resources.ZERO, Resources::plus);
                assertThat(allocated).isEqualTo(claimed);
            }
        }
    }

    @Test
    void provisionsAndDeletesOverHttp() throws Exception {
        try (CloudSession s = new KubernetesDriver().open(cloud("mianyang", BASE_PORT + 1), null)) {
            String request = UUID.randomUUID().toString();
            String id = s.create(WorkloadSpec.container("hall", "civil-affairs", "registry.lab/ca/hall:3", 2, 500, 1024,
                    0, "deployment"), request);
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (s.state(id) != WorkloadState.ACTIVE && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertThat(s.state(id)).isEqualTo(WorkloadState.ACTIVE);
            assertThat(s.findByRequest(request)).contains(id);
            Workload w = s.discover().workloads().stream().filter(x -> x.externalId().equals(id)).findFirst().orElseThrow();
            assertThat(w.departmentId()).isEqualTo("civil-affairs");
            assertThat(w.resources()).isEqualTo(new Resources(1000, 2048, 0, 0));
            s.delete(id);
            s.delete(id);
            assertThat(s.state(id)).isEqualTo(WorkloadState.GONE);
        }
    }
}
