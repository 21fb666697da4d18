package org.tianshu.provisioning;

import java.time.Duration;
import org.tianshu.api.Caller;
import org.tianshu.persistence.Database;
import org.tianshu.persistence.LabPostgres;

/**
 * A Tianshu process that is killed from outside mid-saga (run by {@link ProvisioningCrashIT} in its
 * own JVM). {@code create NAME}: submits a lab workload and reports its request id; {@code delete ID}:
 * starts deleting that request. It polls slowly, so the saga is still in flight when the kill comes.
 */
public final class CrashingRuntime {
    private CrashingRuntime() {
    }

    public static void main(String[] args) throws Exception {
        try (Database db = LabPostgres.existingDatabase();
                LabRuntime runtime = new LabRuntime(db.dataSource(), Duration.ofSeconds(30), JournalListener.NONE)) {
            String id = "create".equals(args[0])
                    ? runtime.engine.submit(LabRuntime.CLOUD, LabRuntime.web(args[1]), null, Caller.SYSTEM).id()
                    : runtime.engine.delete(args[1], Caller.SYSTEM).id();
            System.out.println("REQUEST " + id);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
