package org.tianshu.provisioning;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.tianshu.adapter.kubernetes.KubernetesDriver;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.tenancy.Department;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.quota.Departments;
import org.tianshu.quota.Quotas;

/**
 * The core services wired by hand on a database and the Kubernetes lab cluster "chengdu", as the
 * runtime wires them: what a Tianshu process runs, without OSGi.
 */
final class LabRuntime implements AutoCloseable {
    static final String CLOUD = "chengdu-k8s";
    static final String ENDPOINT = "http://127.0.0.1:16443";

    /** A two-replica web deployment of department health; the lab cluster outlives test runs, so names vary. */
    static WorkloadSpec web(String name) {
        return WorkloadSpec.container(name, "health", "nginx:1.27", 2, 250, 256, 0, "deployment");
    }

    final InventoryComponent inventory;
    final Departments departments;
    final Quotas quotas;
    final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    final ProvisioningEngine engine;

    LabRuntime(DataSource dataSource, Duration pollInterval, JournalListener listener) {
        inventory = new InventoryComponent(dataSource, 0, 1);
        inventory.addDriver(new KubernetesDriver());
        departments = new Departments(dataSource);
        quotas = new Quotas(dataSource, departments, inventory);
        engine = new ProvisioningEngine(dataSource, inventory, departments, quotas, executor,
                new ProvisioningEngine.Settings(pollInterval, Duration.ofSeconds(60), Duration.ofMillis(200)), listener);
    }

    /** Onboards the lab cluster and the department, as an operator would before the first request. */
    void onboard() {
        inventory.putCredentials(new Credentials("k8s-lab", Map.of()), Caller.SYSTEM);
        inventory.register(new Cloud(CLOUD, null, CloudKind.KUBERNETES, "成都", null, 3, false, ENDPOINT, "k8s-lab", Map.of()),
                Caller.SYSTEM);
        departments.create(new Department("health", "省卫生健康委", null), Caller.SYSTEM);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        inventory.deactivate();
    }
}
