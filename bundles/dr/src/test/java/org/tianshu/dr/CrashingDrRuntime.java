package org.tianshu.dr;

import java.time.Duration;
import org.tianshu.api.Caller;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.persistence.Database;
import org.tianshu.persistence.LabPostgres;

/**
 * A Tianshu process killed from outside in the middle of a failover (run by {@link DrLabIT} in its own JVM):
 * starts a confirmed failover of plan {@code args[0]} (on the Kubernetes lab, or on the lab OpenStack when
 * {@code args[1]} is {@code openstack}) and reports the run id. It polls the cloud slowly, so
 * bring-ups are still in flight when the kill comes.
 */
public final class CrashingDrRuntime {
    private CrashingDrRuntime() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && "openstack".equals(args[1])) { // the lab OpenStack of DrOpenStackLabIT
            try (DrOpenStackLabIT.Runtime runtime = new DrOpenStackLabIT.Runtime(LabPostgres.existingDatabase(),
                    Duration.ofSeconds(30))) {
                failover(runtime.dr, args[0]);
            }
        }
        try (Database db = LabPostgres.existingDatabase(); DrLabRuntime runtime = new DrLabRuntime(db.dataSource(),
                Duration.ofSeconds(30))) {
            failover(runtime.dr, args[0]);
        }
    }

    private static void failover(DisasterRecovery dr, String planId) throws InterruptedException {
        String id = dr.start(planId, DrOperation.FAILOVER, true, Caller.SYSTEM).id();
        System.out.println("RUN " + id);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
