package org.tianshu.api.dr;

import org.tianshu.api.Caller;

/**
 * Write side of disaster recovery. Invalid input is rejected with INVALID/NOT_FOUND/CONFLICT naming the
 * field, and nothing is created.
 */
public interface DrAdminService {
    /**
     * Creates a protection group. Rejects unknown clouds or workloads, a recovery cloud equal to the
     * protected cloud, clouds of different kinds, and workloads already in another group.
     */
    ProtectionGroup createGroup(ProtectionGroup group, Caller caller);

    /** Deletes a group with its plans and history; CONFLICT while a run holds it. */
    void deleteGroup(String id, Caller caller);

    /**
     * Creates a recovery plan. Rejects unknown workloads, workloads missing from the plan or listed twice,
     * priorities outside 1-5, dependencies on a later priority group and dependency cycles, and bad hooks.
     */
    RecoveryPlan createPlan(RecoveryPlan plan, Caller caller);

    /** Deletes a plan; CONFLICT while a run holds its group. */
    void deletePlan(String id, Caller caller);

    /** Copies every workload of the group to the recovery cloud now; returns the new status. */
    ReplicationStatus replicate(String groupId, Caller caller);

    /**
     * Starts an operation on a plan and returns at once. CONFLICT when another operation holds the group
     * or the group is not in a state the operation starts from; FAILOVER needs {@code confirmed}.
     */
    DrRun start(String planId, DrOperation operation, boolean confirmed, Caller caller);

    /** Starts the cleanup of a drill that is TEST_COMPLETE; returns the cleanup run. */
    DrRun cleanup(String drillRunId, Caller caller);
}
