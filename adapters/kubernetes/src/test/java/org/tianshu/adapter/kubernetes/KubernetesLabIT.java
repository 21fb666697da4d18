package org.tianshu.adapter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
    private static Path repo;
    private static Path labDir;

    @BeforeAll
    static void startLab() throws Exception {
        repo = Path.of("").toAbsolutePath();
        while (repo != null && !Files.isRegularFile(repo.resolve("lab/kubernetes.sh"))) {
            repo = repo.getParent();
        }
        assertThat(repo).as("repository root holding lab/kubernetes.sh").isNotNull();
        labDir = Path.of("target", "lab").toAbsolutePath();
        Files.createDirectories(labDir);
        assertThat(lab("start")).as("lab/kubernetes.sh start").isZero();
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (repo != null) {
            assertThat(lab("stop")).as("lab/kubernetes.sh stop").isZero();
        }
    }

    private static int lab(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("lab/kubernetes.sh").toString(), command)
                .directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(labDir.resolve("script.log").toFile()));
        pb.environment().put("TIANSHU_LAB_DIR", labDir.toString());
        pb.environment().put("K8S_LAB_BASE_PORT", String.valueOf(BASE_PORT));
        pb.environment().put("K8S_LAB_CLUSTERS", "chengdu,mianyang,zigong");
        pb.environment().put("K8S_LAB_NODES", "6");
        pb.environment().put("K8S_LAB_WORKLOADS", "50");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static Cloud cloud(String city, int port) {
        return new Cloud(city + "-k8s", city, CloudKind.KUBERNETES, city, "sc", 3, false, "http://127.0.0.1:" + port,
                "lab", Map.of());
    }

    @Test
    void startIsIdempotentAndStatusReportsRunning() throws Exception {
        assertThat(lab("start")).isZero();
        assertThat(lab("status")).isZero();
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
