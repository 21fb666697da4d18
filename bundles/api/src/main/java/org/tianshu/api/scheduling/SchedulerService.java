package org.tianshu.api.scheduling;

import java.util.List;
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
     * same transaction as its journal entry (the hold joins that transaction), so nothing is reserved twice. The
     * hold settles once the inventory reports a workload tagged with {@code holdId} (the inventory's allocation
     * then counts it) and ends by {@link #release}. CONFLICT naming {@code holdId} if it is already held.
     */
    Placement hold(PlacementRequest request, String holdId, Caller caller);

    /**
     * Places {@code request} anew for the workload held under {@code holdId} (typically with fewer allowed clouds,
     * after the cloud chosen first refused to create it) and, if it is placed, replaces that hold by the new one in
     * one step; if it is refused, the old hold stays. Joins the caller's transaction like {@link #hold}. NOT_FOUND
     * naming {@code holdId} if nothing is held under it.
     */
    default Placement holdElsewhere(PlacementRequest request, String holdId, Caller caller) {
        throw new org.tianshu.api.TianshuException(org.tianshu.api.TianshuException.Kind.CONFLICT, "holdId",
                "this scheduler cannot move holds");
    }

    /**
     * Records that the workload of reservation {@code reservationId} now runs on {@code toHost} of its cloud
     * instead of {@code fromHost} (a rebalancing move), so that its group memberships, and its capacity while the
     * reservation is not settled, follow it. Nothing happens for an unknown reservation.
     */
    void moved(String reservationId, String cloudId, String fromHost, String toHost);

    /** Reservations held, of one department or (null) of every department the caller may see, oldest first. */
    List<Reservation> reservations(String departmentId, Caller caller);

    /** The scheduling policy of a department ({@link SchedulingPolicy#none} if it has none); NOT_FOUND if unknown. */
    SchedulingPolicy policy(String departmentId, Caller caller);

    /**
     * Sets a department's policy (operators only); INVALID naming {@code allowedClouds} for an unknown cloud, or
     * the {@code preferences} weight at fault.
     */
    SchedulingPolicy setPolicy(SchedulingPolicy policy, Caller caller);
}
