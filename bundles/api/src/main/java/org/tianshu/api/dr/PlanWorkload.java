package org.tianshu.api.dr;

import java.util.List;

/**
 * One workload's place in a recovery plan.
 *
 * @param workload name of a workload of the plan's protection group
 * @param priority priority group 1-5; group n starts when group n-1 is up
 * @param dependsOn workloads of the same or an earlier priority group that must be up first
 * @param hooks checks run once this workload is up
 */
public record PlanWorkload(String workload, int priority, List<String> dependsOn, List<Hook> hooks) {
    public PlanWorkload {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
    }
}
