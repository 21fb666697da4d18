package org.tianshu.api.scheduling;

import org.tianshu.api.Caller;

/**
 * Decides where workloads go across every cloud of the province. A placement reserves host capacity and quota
 * atomically: concurrent placements never over-commit a host or a quota, and a group is placed whole or not at
 * all.
 */
public interface SchedulerService {
    /**
     * Places {@code request}; on a dry run only says where it would go. Bad input is INVALID naming the field,
     * and reserves nothing; a request that cannot be met is answered {@link Placement.Outcome#REFUSED} with
     * the reason.
     */
    Placement place(PlacementRequest request, boolean dryRun, Caller caller);

    /** Releases a reservation (once the workloads exist in the inventory, or are abandoned); NOT_FOUND if unknown. */
    void release(String reservationId, Caller caller);

    /**
     * Places {@code request} for one workload that lives in one cloud (a VM, or the replicas of a container
     * workload as its members) and holds the hosts' capacity under {@code holdId}, the id of the provisioning
     * request that will create it. The quota is left to the caller, who reserves it under the same id in the
     * same transaction as its journal entry, so nothing is reserved twice. A hold ends by {@link #release}, or
     * by itself once the inventory reports a workload tagged with {@code holdId}. CONFLICT naming
     * {@code holdId} if it is already held.
     */
    Placement hold(PlacementRequest request, String holdId, Caller caller);
}
