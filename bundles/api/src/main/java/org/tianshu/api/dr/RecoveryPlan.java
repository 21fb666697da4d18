package org.tianshu.api.dr;

import java.util.List;

/**
 * How a protection group is recovered: priority groups, dependencies, hooks and network mapping.
 *
 * @param id identifier
 * @param groupId the protection group it recovers
 * @param workloads every workload of the group with its priority, dependencies and hooks
 * @param hooks checks run once every priority group is up
 * @param networks production network to recovery network; unmapped networks keep their name
 * @param testNetwork the isolated network drills bring copies up in (created and removed by the drill)
 * @param autoCleanup true if a drill cleans up as soon as its checks have run
 */
public record RecoveryPlan(String id, String groupId, List<PlanWorkload> workloads, List<Hook> hooks,
        List<NetworkMapping> networks, String testNetwork, boolean autoCleanup) {
    public RecoveryPlan {
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
        networks = networks == null ? List.of() : List.copyOf(networks);
    }

    /** The recovery network of {@code production}. */
    public String recoveryNetwork(String production) {
        return networks.stream().filter(m -> m.production().equals(production)).map(NetworkMapping::recovery)
                .findFirst().orElse(production);
    }
}
