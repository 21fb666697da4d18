package org.tianshu.api.scheduling;

import org.tianshu.api.Resources;

/**
 * A request for capacity: one workload, or a group of {@code count} identical members that are placed all
 * together or not at all.
 *
 * @param departmentId the department that will own the workloads (quota and access)
 * @param demand what one member needs, before overcommit
 * @param count number of members, 1 for a single workload
 * @param constraints hard constraints; {@link PlacementConstraints#NONE} when there are none
 * @param preferences weights of the soft criteria; null for the department's {@link SchedulingPolicy}, and
 *        {@link Preferences#PACK} when it has none
 * @param explainHosts true to get a verdict for every host in the explanation, not only for every cloud
 */
public record PlacementRequest(String departmentId, Resources demand, int count, PlacementConstraints constraints,
        Preferences preferences, boolean explainHosts) {
    public PlacementRequest {
        constraints = constraints == null ? PlacementConstraints.NONE : constraints;
    }

    /** This request with {@code preferences} (when it has none of its own) and {@code constraints}. */
    public PlacementRequest with(PlacementConstraints constraints, Preferences preferences) {
        return new PlacementRequest(departmentId, demand, count, constraints, this.preferences != null ? this.preferences
                : preferences, explainHosts);
    }

    /** One workload with no constraints, packed. */
    public static PlacementRequest of(String departmentId, Resources demand) {
        return new PlacementRequest(departmentId, demand, 1, PlacementConstraints.NONE, Preferences.PACK, false);
    }
}
