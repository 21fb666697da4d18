package org.tianshu.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.audit.AuditEvent;
import org.tianshu.api.audit.AuditService;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudAdminService;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.DrAdminService;
import org.tianshu.api.dr.DrService;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.provisioning.ProvisioningState;
import org.tianshu.api.scheduling.RebalanceService;
import org.tianshu.api.scheduling.SchedulerService;
import org.tianshu.api.scheduling.ShowbackReport;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaService;
import org.tianshu.api.testing.InMemoryCloudDriver;
import org.tianshu.audit.AuditLog;
import org.tianshu.dr.DisasterRecovery;
import org.tianshu.dr.DrEngine;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.persistence.Database;
import org.tianshu.provisioning.ProvisioningEngine;
import org.tianshu.quota.Departments;
import org.tianshu.quota.Quotas;
import org.tianshu.scheduler.EfficiencyComponent;
import org.tianshu.scheduler.RebalanceEngine;
import org.tianshu.scheduler.Showback;
import org.tianshu.scheduler.SchedulerComponent;

/**
 * The real Tianshu core services wired without OSGi on a private in-memory H2 database, with
 * {@link InMemoryCloudDriver}s for OpenStack and Kubernetes, for tests of the interfaces over them
 * (REST, shell). Tests change how a cloud behaves through {@link #world(String)}. The scheduler's snapshot
 * follows the inventory: {@link #onboard} and {@link #sync} refresh it.
 */
public final class TestPlatform implements AutoCloseable {
    /** Credentials every cloud onboarded by {@link #onboard} uses. */
    public static final String CREDENTIALS = "lab";

    private final String url;
    private final Database db;
    private final InventoryComponent inventory;
    private final Departments departments;
    private final Quotas quotas;
    private final AuditLog audit;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final ProvisioningEngine provisioning;
    private final SchedulerComponent scheduler;
    private final EfficiencyComponent efficiency;
    private final RebalanceEngine rebalance;
    private final Showback showback;
    private final DisasterRecovery dr;
    private final InMemoryCloudDriver openstack = new InMemoryCloudDriver(CloudKind.OPENSTACK);
    private final InMemoryCloudDriver kubernetes = new InMemoryCloudDriver(CloudKind.KUBERNETES);
    private final List<Provisioning> journal = new CopyOnWriteArrayList<>();
    private boolean credentialsStored;

    /** Opens a fresh database; no clouds, departments or credentials yet. */
    public TestPlatform() {
        url = "jdbc:h2:mem:tianshu-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000;DB_CLOSE_DELAY=-1";
        db = Database.open(url, "sa", "", 10);
        DataSource ds = db.dataSource();
        inventory = new InventoryComponent(ds, 0, 1);
        inventory.addDriver(openstack);
        inventory.addDriver(kubernetes);
        departments = new Departments(ds);
        quotas = new Quotas(ds, departments, inventory);
        audit = new AuditLog(ds);
        scheduler = new SchedulerComponent(ds, inventory, inventory, departments, quotas, 0);
        efficiency = new EfficiencyComponent(ds, inventory, inventory, quotas, Clock.systemUTC());
        rebalance = new RebalanceEngine(ds, inventory, inventory, scheduler, executor,
                new RebalanceEngine.Settings(0.9, 20, Duration.ofMillis(20), Duration.ofSeconds(10)));
        showback = new Showback(ds, inventory, Clock.systemUTC(), Duration.ofHours(1), "CNY",
                new ShowbackReport.Rates(0.08, 0.02, 8, 0.0005));
        provisioning = new ProvisioningEngine(ds, inventory, departments, quotas, executor,
                new ProvisioningEngine.Settings(Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ofMillis(50)),
                journal::add, () -> scheduler);
        dr = new DisasterRecovery(ds, inventory, departments, executor, new DrEngine.Settings(Duration.ofMillis(20),
                Duration.ofSeconds(10), 2, Duration.ofMillis(50)), 4, Map.of(), () -> null);
    }

    public CloudService clouds() {
        return inventory;
    }

    public CloudAdminService cloudAdmin() {
        return inventory;
    }

    public InventoryService inventory() {
        return inventory;
    }

    public DepartmentService departments() {
        return departments;
    }

    public QuotaService quotas() {
        return quotas;
    }

    public ProvisioningService provisioning() {
        return provisioning;
    }

    public SchedulerService scheduler() {
        return scheduler;
    }

    /** Efficiency with the default thresholds; tests add {@link org.tianshu.api.scheduling.UsageSource}s to it. */
    public EfficiencyComponent efficiency() {
        return efficiency;
    }

    /** Rebalancing at a 90% threshold, polling moves every 20 ms. */
    public RebalanceService rebalance() {
        return rebalance;
    }

    /** Showback metering an hour per first sample, at 0.08 per vCPU-hour, 0.02 per GiB-hour, 8 per GPU-hour. */
    public Showback showback() {
        return showback;
    }

    /** Syncs cloud {@code cloudId} and refreshes the scheduler's snapshot from the inventory. */
    public void sync(String cloudId) {
        inventory.sync(cloudId);
        scheduler.refreshNow();
    }

    public AuditService audit() {
        return audit;
    }

    public DrService dr() {
        return dr;
    }

    /** Drills plans on a schedule, as the DR component's {@code drillSchedules} (plan=cron or plan=interval). */
    public void scheduleDrills(String... entries) {
        dr.scheduleDrills(executor, "drillSchedules", entries, java.time.Clock.systemUTC());
    }

    public DrAdminService drAdmin() {
        return dr;
    }

    /**
     * Onboards cloud {@code id} of {@code kind} at endpoint {@code https://<id>.test/} with the
     * {@link #CREDENTIALS} credentials (stored if missing); its first sync has run on return.
     */
    public Cloud onboard(String id, CloudKind kind, String city) {
        if (!credentialsStored) {
            inventory.putCredentials(new Credentials(CREDENTIALS, Map.of("username", "tianshu", "password", "lab")),
                    Caller.SYSTEM);
            credentialsStored = true;
        }
        Cloud cloud = inventory.register(new Cloud(id, null, kind, city, kind == CloudKind.OPENSTACK ? "RegionOne" : null, 3,
                false, "https://" + id + ".test/", CREDENTIALS, Map.of()), Caller.SYSTEM);
        scheduler.refreshNow();
        return cloud;
    }

    /** Creates a department. */
    public Department department(String id, String name) {
        return departments.create(new Department(id, name, null), Caller.SYSTEM);
    }

    /** The in-memory cloud behind onboarded cloud {@code cloudId}. */
    public InMemoryCloudDriver.World world(String cloudId) {
        Cloud cloud = inventory.get(cloudId);
        return (cloud.kind() == CloudKind.OPENSTACK ? openstack : kubernetes).world(cloud.endpoint());
    }

    /**
     * Puts a running workload that Tianshu did not provision into cloud {@code cloudId} and syncs
     * the cloud, as if someone had made it with the cloud's own tools.
     */
    public Workload unmanaged(String cloudId, String name, String departmentId, Resources resources) {
        InMemoryCloudDriver.World w = world(cloudId);
        WorkloadKind kind = inventory.get(cloudId).kind() == CloudKind.OPENSTACK ? WorkloadKind.VM : WorkloadKind.CONTAINER;
        Workload workload = new Workload(cloudId, "ext-" + name, name, kind, departmentId, w.hosts.get(0).name(),
                WorkloadState.ACTIVE, resources, null);
        w.workloads.put(workload.externalId(), workload);
        sync(cloudId);
        return workload;
    }

    /** The audit log, oldest first. */
    public List<AuditEvent> auditTrail() {
        List<AuditEvent> events = new ArrayList<>(audit.recent(10_000, Caller.SYSTEM));
        Collections.reverse(events);
        return events;
    }

    /**
     * The states request {@code id} was journalled in, in order, up to the state it is in now (the
     * engine tells its listener just after each commit, so this waits for that call).
     */
    public List<ProvisioningState> journal(String id) {
        ProvisioningState now = provisioning.get(id, Caller.SYSTEM).state();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProvisioningState> states = journalled(id);
        while ((states.isEmpty() || states.get(states.size() - 1) != now) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            states = journalled(id);
        }
        return states;
    }

    private List<ProvisioningState> journalled(String id) {
        return journal.stream().filter(p -> p.id().equals(id)).map(Provisioning::state).toList();
    }

    /** Stops the saga threads, then closes the inventory and drops the database. */
    @Override
    public void close() {
        dr.stop();
        executor.shutdownNow();
        scheduler.deactivate();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inventory.deactivate();
        // DB_CLOSE_DELAY=-1 keeps an in-memory database until it is shut down explicitly
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot shut the test database down", e);
        } finally {
            db.close();
        }
    }
}
