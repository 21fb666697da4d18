package org.tianshu.api.dr;

import java.time.Instant;
import java.util.Map;

/**
 * How current a protection group's copies are.
 *
 * @param groupId the group
 * @param recoveryPoint time of the oldest of the workloads' latest consistent copies, null if one has none
 * @param rpoSeconds measured RPO: age of that copy in seconds, -1 when a workload has no copy
 * @param rpoTargetSeconds the group's objective
 * @param exceeded true if the measured RPO is over the objective (or a copy is missing)
 * @param copies per workload name, the time of its latest consistent copy
 */
public record ReplicationStatus(String groupId, Instant recoveryPoint, long rpoSeconds, long rpoTargetSeconds,
        boolean exceeded, Map<String, Instant> copies) {
    public ReplicationStatus {
        copies = copies == null ? Map.of() : Map.copyOf(copies);
    }
}
