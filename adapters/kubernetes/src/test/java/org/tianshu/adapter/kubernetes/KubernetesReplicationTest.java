package org.tianshu.adapter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.ReplicatingSession;
import org.tianshu.api.dr.WorkloadCopy;
import org.tianshu.lab.kubernetes.LabCluster;
import org.tianshu.lab.kubernetes.LabClusters;
import org.tianshu.lab.kubernetes.LabSpec;

/** Replication between two in-process lab clusters: chengdu protected, mianyang recovery. */
class KubernetesReplicationTest {
    private static LabClusters lab;
    private static LabCluster mianyang;
    private static ReplicatingSession chengduSession;
    private static ReplicatingSession mianyangSession;

    @BeforeAll
    static void startLab() throws Exception {
        lab = LabClusters.start(LabSpec.defaults().withClusters("chengdu", "mianyang").withRandomPorts());
        mianyang = lab.cluster("mianyang");
        KubernetesDriver driver = new KubernetesDriver();
        chengduSession = (ReplicatingSession) driver.open(KubernetesSessionTest.cloud("chengdu-k8s",
                lab.cluster("chengdu").url(), Map.of()), null);
        mianyangSession = (ReplicatingSession) driver.open(KubernetesSessionTest.cloud("mianyang-k8s", mianyang.url(),
                Map.of()), null);
    }

    @AfterAll
    static void stopLab() {
        chengduSession.close();
        mianyangSession.close();
        lab.close();
    }

    static WorkloadState until(ReplicatingSession s, String id, WorkloadState wanted) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        WorkloadState state = s.state(id);
        while (state != wanted && System.nanoTime() < end) {
            Thread.sleep(50);
            state = s.state(id);
        }
        return state;
    }

    @Test
    void copyIsKeptStoppedDrilledIsolatedFailedOverInPlaceAndDropped() throws Exception {
        String dept = KubernetesSessionTest.department();
        String prod = chengduSession.create(WorkloadSpec.container("hall", dept, "registry.lab/hall:3", 2, 250, 256, 0,
                "deployment"), UUID.randomUUID().toString());
        assertThat(until(chengduSession, prod, WorkloadState.ACTIVE)).isEqualTo(WorkloadState.ACTIVE);
        String productionVersion = lab.cluster("chengdu").client().apps().deployments().inNamespace(dept).withName("hall")
                .get().getMetadata().getResourceVersion();

        WorkloadCopy copy = chengduSession.export(prod);
        assertThat(copy.network()).isEqualTo(dept);
        assertThat(copy.payload()).doesNotContain("tianshu.io/request", "resourceVersion", "readyReplicas");
        String copyId = mianyangSession.keepReady(copy, dept);
        assertThat(mianyangSession.keepReady(chengduSession.export(prod), dept)).isEqualTo(copyId);
        assertThat(copyId).isEqualTo(dept + "/deployment/hall");
        assertThat(mianyangSession.state(copyId)).isEqualTo(WorkloadState.STOPPED);
        assertThat(mianyangSession.findByRequest("anything")).isEmpty();
        assertThat(mianyangSession.discover().workloads()).filteredOn(w -> w.externalId().equals(copyId))
                .singleElement().satisfies(w -> assertThat(w.departmentId()).isEqualTo(dept));

        // drill: a clone in an isolated namespace, the copy untouched
        String drill = "drill-" + dept;
        mianyangSession.isolate(drill);
        mianyangSession.isolate(drill);
        NetworkPolicy deny = mianyang.client().network().v1().networkPolicies().inNamespace(drill)
                .withName(Replication.DENY_ALL).get();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        String test = mianyangSession.bringUp(copyId, drill);
        assertThat(mianyangSession.bringUp(copyId, drill)).isEqualTo(test);
        assertThat(test).isEqualTo(drill + "/deployment/hall");
        assertThat(until(mianyangSession, test, WorkloadState.ACTIVE)).isEqualTo(WorkloadState.ACTIVE);
        Deployment clone = mianyang.client().apps().deployments().inNamespace(drill).withName("hall").get();
        assertThat(clone.getSpec().getReplicas()).isEqualTo(2);
        assertThat(mianyangSession.state(copyId)).isEqualTo(WorkloadState.STOPPED);
        assertThatThrownBy(() -> mianyangSession.dropNetwork(dept))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("network"));
        mianyangSession.dropNetwork(drill);
        mianyangSession.dropNetwork(drill);
        assertThat(mianyangSession.state(test)).isEqualTo(WorkloadState.GONE);
        assertThat(mianyang.client().namespaces().withName(drill).get()).isNull();
        assertThat(lab.cluster("chengdu").client().apps().deployments().inNamespace(dept).withName("hall").get()
                .getMetadata().getResourceVersion()).isEqualTo(productionVersion);

        // planned migration: stop production, the copy comes up in place with the production replica count
        chengduSession.stop(prod);
        assertThat(until(chengduSession, prod, WorkloadState.STOPPED)).isEqualTo(WorkloadState.STOPPED);
        assertThat(mianyangSession.bringUp(copyId, dept)).isEqualTo(copyId);
        assertThat(until(mianyangSession, copyId, WorkloadState.ACTIVE)).isEqualTo(WorkloadState.ACTIVE);
        assertThat(mianyang.client().apps().deployments().inNamespace(dept).withName("hall").get().getSpec().getReplicas())
                .isEqualTo(2);

        // reprotect: the stopped production becomes the copy and keeps the replica count to come back with
        String back = chengduSession.keepReady(mianyangSession.export(copyId), dept);
        assertThat(back).isEqualTo(prod);
        assertThat(chengduSession.state(prod)).isEqualTo(WorkloadState.STOPPED);
        chengduSession.bringUp(prod, dept);
        assertThat(until(chengduSession, prod, WorkloadState.ACTIVE)).isEqualTo(WorkloadState.ACTIVE);
        assertThat(lab.cluster("chengdu").client().apps().deployments().inNamespace(dept).withName("hall").get()
                .getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void exportOfAnUnknownWorkloadNamesTheField() {
        assertThatThrownBy(() -> chengduSession.export("nowhere/deployment/none"))
                .isInstanceOfSatisfying(TianshuException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TianshuException.Kind.NOT_FOUND);
                    assertThat(e.field()).isEqualTo("externalId");
                });
        assertThatThrownBy(() -> mianyangSession.bringUp("nowhere/deployment/none", "x"))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("copyId"));
    }
}
