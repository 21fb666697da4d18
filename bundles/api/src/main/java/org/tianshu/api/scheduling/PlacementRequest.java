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
 * @param preferences weights of the soft criteria; {@link Preferences#PACK} when null
 * @param explainHosts true to get a verdict for every host in the explanation, not only for every cloud
 */
public record PlacementRequest(String departmentId, Resources demand, int count, PlacementConstraints constraints,
        Preferences preferences, boolean explainHosts) {
    public PlacementRequest {
        constraints = constraints == null ? PlacementConstraints.NONE : constraints;
        preferences = preferences == null ? Preferences.PACK : preferences;
    }

    /** One workload with no constraints, packed. */
    public static PlacementRequest of(String departmentId, Resources demand) {
        return new PlacementRequest(departmentId, demand, 1, PlacementConstraints.NONE, Preferences.PACK, false);
    }
}
