package org.tianshu.api.cloud;

import java.util.List;

/** One inventory across every cloud, kept in sync periodically and on demand. */
public interface InventoryService {
    /** Syncs one cloud now and returns its new status (an unreachable cloud gives reachable=false). */
    CloudStatus sync(String cloudId);

    /** Hosts of one cloud, or of every cloud when {@code cloudId} is null. */
    List<Host> hosts(String cloudId);

    /** Workloads filtered by cloud and department (either may be null for all). */
    List<Workload> workloads(String cloudId, String departmentId);

    /** Capacity totals per cloud. */
    List<CapacitySummary> capacity();

    /** Differences between Tianshu's records and the cloud's last sync. */
    Drift drift(String cloudId);
}
