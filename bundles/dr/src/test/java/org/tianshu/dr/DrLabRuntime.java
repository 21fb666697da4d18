package org.tianshu.dr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.tianshu.adapter.kubernetes.KubernetesDriver;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.PlanWorkload;
import org.tianshu.api.dr.ProtectedWorkload;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.api.tenancy.Department;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.quota.Departments;

/**
 * What a Tianshu process runs for DR, wired by hand on a database and the shared Kubernetes lab (started by
 * {@code lab/kubernetes.sh}): chengdu protected, mianyang recovery.
 */
final class DrLabRuntime implements AutoCloseable {
    static final String PROD = "chengdu-k8s";
    static final String DR = "mianyang-k8s";
    static final String PROD_URL = "http://127.0.0.1:16443";
    static final String DR_URL = "http://127.0.0.1:16444";

    final InventoryComponent inventory;
    final Departments departments;
    final ExecutorService executor = Executors.newFixedThreadPool(16);
    final DisasterRecovery dr;

    DrLabRuntime(DataSource dataSource, Duration pollInterval) {
        inventory = new InventoryComponent(dataSource, 0, 1);
        inventory.addDriver(new KubernetesDriver());
        departments = new Departments(dataSource);
        dr = new DisasterRecovery(dataSource, inventory, departments, executor,
                new DrEngine.Settings(pollInterval, Duration.ofSeconds(60), 3, Duration.ofMillis(200)), 8, Map.of(),
                () -> null);
    }

    /** Onboards both clusters and the department, as an operator would. */
    void onboard(String department) {
        inventory.putCredentials(new Credentials("k8s-lab", Map.of()), Caller.SYSTEM);
        inventory.register(new Cloud(PROD, null, CloudKind.KUBERNETES, "成都", null, 3, false, PROD_URL, "k8s-lab", Map.of()),
                Caller.SYSTEM);
        inventory.register(new Cloud(DR, null, CloudKind.KUBERNETES, "绵阳", null, 3, false, DR_URL, "k8s-lab", Map.of()),
                Caller.SYSTEM);
        departments.create(new Department(department, "省政务服务中心", null), Caller.SYSTEM);
    }

    /**
     * A three-tier system in {@code department}'s namespace of chengdu (db a StatefulSet, app and web
     * Deployments), active, protected by group {@code department} with plan {@code department}-plan: db, app,
     * web in priority groups 1-3, each depending on the tier below, a check per tier.
     */
    RecoveryPlan threeTier(String department) throws InterruptedException {
        var session = inventory.session(PROD);
        List<ProtectedWorkload> members = new ArrayList<>();
        for (String[] tier : new String[][] {{"db", "statefulset"}, {"app", "deployment"}, {"web", "deployment"}}) {
            String id = session.create(WorkloadSpec.container(tier[0], department, "registry.lab/portal/" + tier[0] + ":1", 2,
                    250, 256, 0, tier[1]), department + "-" + tier[0]);
            members.add(new ProtectedWorkload(tier[0], id));
        }
        for (ProtectedWorkload w : members) {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (session.state(w.externalId()) != WorkloadState.ACTIVE) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(w.externalId() + " not active in the lab");
                }
                Thread.sleep(50);
            }
        }
        dr.createGroup(ProtectionGroup.of(department, department, PROD, DR, members, 600), Caller.SYSTEM);
        return dr.createPlan(new RecoveryPlan(department + "-plan", department, List.of(
                new PlanWorkload("db", 1, List.of(), List.of(DisasterRecoveryTest.script("db-check",
                        "test \"$TIANSHU_DR_WORKLOAD\" = db", 10))),
                new PlanWorkload("app", 2, List.of("db"), List.of(DisasterRecoveryTest.script("app-check", "true", 10))),
                new PlanWorkload("web", 3, List.of("app"), List.of(DisasterRecoveryTest.script("web-check",
                        "test -n '${network}'", 10)))),
                List.of(DisasterRecoveryTest.script("portal-smoke", "true", 10)), List.of(), department + "-drill", true),
                Caller.SYSTEM);
    }

    @Override
    public void close() {
        dr.stop();
        executor.shutdownNow();
        inventory.deactivate();
    }
}
