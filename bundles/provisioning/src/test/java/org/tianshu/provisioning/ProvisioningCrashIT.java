package org.tianshu.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.provisioning.Provisioning;
import org.tianshu.api.provisioning.ProvisioningState;
import org.tianshu.api.testing.ChildJvm;
import org.tianshu.api.testing.LabScripts;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.persistence.Database;
import org.tianshu.persistence.Jdbc;
import org.tianshu.persistence.LabPostgres;

/**
 * Kill -9 of a Tianshu process in the middle of a saga, against the real PostgreSQL and the
 * Kubernetes lab cluster (a separate process, so the cloud outlives the crash); a new process
 * resumes the journal and nothing is orphaned or duplicated.
 */
class ProvisioningCrashIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void lab() {
        LabPostgres.start();
        LabScripts.run("kubernetes.sh", "start");
    }

    @Test
    void killedMidCreateIsResumedAndKilledMidDeleteIsFinished() throws Exception {
        try (Database db = LabPostgres.freshDatabase(); LabRuntime setup = new LabRuntime(db.dataSource(), Duration.ofMillis(100),
                JournalListener.NONE)) {
            setup.onboard();
            setup.quotas.set("health", "*", QuotaResource.INSTANCES, 5, Caller.SYSTEM);
        }

        // 1. killed while the workload is being created
        String id = runAndKill(db -> journalled(db).state() == ProvisioningState.CREATING && journalled(db).externalId() != null,
                "create", "web-" + Long.toString(System.nanoTime(), 36));
        try (Database db = LabPostgres.existingDatabase(); LabRuntime restarted = new LabRuntime(db.dataSource(),
                Duration.ofMillis(100), JournalListener.NONE)) {
            assertThat(restarted.engine.get(id, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.CREATING);
            assertThat(restarted.engine.recover()).isEqualTo(1);
            Provisioning p = restarted.engine.await(id, WAIT, Caller.SYSTEM);
            assertThat(p.state()).isEqualTo(ProvisioningState.ACTIVE);
            assertThat(tagged(restarted.inventory.session(LabRuntime.CLOUD), id)).hasSize(1);
            assertThat(used(restarted)).isEqualTo(1);
        }

        // 2. killed while the workload is being deleted
        runAndKill(db -> journalled(db).state() == ProvisioningState.DELETING, "delete", id);
        try (Database db = LabPostgres.existingDatabase(); LabRuntime restarted = new LabRuntime(db.dataSource(),
                Duration.ofMillis(100), JournalListener.NONE)) {
            restarted.engine.recover();
            assertThat(restarted.engine.await(id, WAIT, Caller.SYSTEM).state()).isEqualTo(ProvisioningState.DELETED);
            CloudSession session = restarted.inventory.session(LabRuntime.CLOUD);
            assertThat(session.findByRequest(id)).isEmpty();
            assertThat(tagged(session, id)).isEmpty();
            assertThat(used(restarted)).isZero();
        }
    }

    /** The only request of the test, as journalled now. */
    private static Journal journalled(Database db) {
        return new Jdbc(db.dataSource()).one("SELECT state, external_id FROM provisioning", rs -> new Journal(
                ProvisioningState.valueOf(rs.getString(1)), rs.getString(2))).orElseThrow();
    }

    record Journal(ProvisioningState state, String externalId) {
    }

    private static List<Workload> tagged(CloudSession session, String requestId) {
        return session.discover().workloads().stream().filter(w -> requestId.equals(w.requestId())).toList();
    }

    private static long used(LabRuntime runtime) {
        return runtime.quotas.list("health", Caller.SYSTEM).get(0).used();
    }

    interface Condition {
        boolean holds(Database db);
    }

    /** Runs {@link CrashingRuntime} in its own JVM, waits until {@code ready}, then kills it -9. */
    private static String runAndKill(Condition ready, String... args) throws Exception {
        try (ChildJvm child = ChildJvm.start(CrashingRuntime.class, args)) {
            String id = child.await("REQUEST ");
            try (Database db = LabPostgres.existingDatabase()) {
                ChildJvm.until(WAIT, "saga reached the kill point", () -> ready.holds(db));
            }
            return id;
        }
    }
}
