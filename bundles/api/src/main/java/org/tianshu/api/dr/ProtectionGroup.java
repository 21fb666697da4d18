package org.tianshu.api.dr;

import java.util.List;

/**
 * The workloads of one system protected together: replicated from the protected cloud to the
 * recovery cloud and recovered together. A workload belongs to at most one group.
 *
 * @param id identifier
 * @param name display name
 * @param departmentId owning department
 * @param protectedCloudId the cloud the workloads run on now
 * @param recoveryCloudId the cloud that holds their copies and recovers them (never the protected one)
 * @param homeCloudId the protected cloud the group was created with (set by Tianshu; a failback returns there)
 * @param workloads the protected workloads
 * @param rpoTargetSeconds recovery point objective: the oldest copy allowed, in seconds
 * @param state where the workloads run (set by Tianshu)
 */
public record ProtectionGroup(String id, String name, String departmentId, String protectedCloudId,
        String recoveryCloudId, String homeCloudId, List<ProtectedWorkload> workloads, long rpoTargetSeconds,
        GroupState state) {
    public ProtectionGroup {
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
    }

    /** A new group as a caller submits it. */
    public static ProtectionGroup of(String id, String departmentId, String protectedCloudId, String recoveryCloudId,
            List<ProtectedWorkload> workloads, long rpoTargetSeconds) {
        return new ProtectionGroup(id, id, departmentId, protectedCloudId, recoveryCloudId, null, workloads,
                rpoTargetSeconds, null);
    }
}
