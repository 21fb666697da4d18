package org.tianshu.api.scheduling;

import java.util.Set;

/**
 * How a department's workloads are placed, set by operators: the clouds they may go to and the default weights
 * of requests that give none.
 *
 * @param departmentId the department
 * @param allowedClouds clouds its workloads may go to; empty for any. A request may narrow this, never widen it
 * @param preferences weights of requests that give none; {@link Preferences#PACK} for a department without a policy
 */
public record SchedulingPolicy(String departmentId, Set<String> allowedClouds, Preferences preferences) {
    public SchedulingPolicy {
        allowedClouds = allowedClouds == null ? Set.of() : Set.copyOf(allowedClouds);
        preferences = preferences == null ? Preferences.PACK : preferences;
    }

    /** The policy of a department that has none: any cloud, packed. */
    public static SchedulingPolicy none(String departmentId) {
        return new SchedulingPolicy(departmentId, Set.of(), Preferences.PACK);
    }
}
