package org.tianshu.dr;

import java.time.Duration;
import org.tianshu.api.Caller;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.persistence.Database;
import org.tianshu.persistence.LabPostgres;

/**
 * A Tianshu process killed from outside in the middle of a failover (run by {@link DrLabIT} in its own JVM):
 * starts a confirmed failover of plan {@code args[0]} and reports the run id. It polls the cloud slowly, so
 * bring-ups are still in flight when the kill comes.
 */
public final class CrashingDrRuntime {
    private CrashingDrRuntime() {
    }

    public static void main(String[] args) throws Exception {
        try (Database db = LabPostgres.existingDatabase(); DrLabRuntime runtime = new DrLabRuntime(db.dataSource(),
                Duration.ofSeconds(30))) {
            String id = runtime.dr.start(args[0], DrOperation.FAILOVER, true, Caller.SYSTEM).id();
            System.out.println("RUN " + id);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
