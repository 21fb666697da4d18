package org.tianshu.api.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.tianshu.api.Resources;

/**
 * How well the province's capacity is used: allocation against capacity (after overcommit) per cloud, host and
 * department, measured use where a {@link UsageSource} reports it, overloaded hosts, idle workloads and
 * fragmentation (free capacity that no reference-sized workload can use).
 *
 * @param at when it was evaluated
 * @param clouds one line per cloud
 * @param departments one line per department that holds workloads
 * @param hosts one line per host
 * @param workloads one line per workload
 */
public record Efficiency(Instant at, List<Line> clouds, List<Line> departments, List<HostLine> hosts,
        List<WorkloadLine> workloads) {
    public Efficiency {
        clouds = List.copyOf(clouds);
        departments = List.copyOf(departments);
        hosts = List.copyOf(hosts);
        workloads = List.copyOf(workloads);
    }

    /**
     * Totals of a cloud or department.
     *
     * @param id the cloud or department
     * @param capacity capacity after overcommit of the cloud's hosts up; for a department, its all-clouds CPU and
     *        memory quota where set, else the province's capacity
     * @param allocated what its workloads claim
     * @param cpuAllocation allocated over capacity, CPU
     * @param memoryAllocation allocated over capacity, memory
     * @param cpuUse measured CPU in use over capacity, null where nothing is measured
     * @param hosts hosts counted
     * @param overloadedHosts hosts above the overload threshold
     * @param emptyHosts hosts with nothing allocated (candidates to free)
     * @param idleWorkloads workloads idle for the configured period
     * @param fragmentation share of free CPU that no reference-sized workload can use, 0 to 1
     */
    public record Line(String id, Resources capacity, Resources allocated, double cpuAllocation, double memoryAllocation,
            Double cpuUse, int hosts, int overloadedHosts, int emptyHosts, int idleWorkloads, double fragmentation) {
    }

    /**
     * One host.
     *
     * @param cloudId the cloud
     * @param host the host
     * @param capacity capacity after overcommit
     * @param allocated what its workloads claim
     * @param cpuAllocation allocated over capacity, CPU
     * @param memoryAllocation allocated over capacity, memory
     * @param cpuUse measured CPU in use over capacity, null if not measured
     * @param overloaded above the overload threshold (allocation or measured use)
     * @param fragmentation share of its free CPU that no reference-sized workload can use
     */
    public record HostLine(String cloudId, String host, Resources capacity, Resources allocated, double cpuAllocation,
            double memoryAllocation, Double cpuUse, boolean overloaded, double fragmentation) {
    }

    /**
     * One workload.
     *
     * @param cloudId the cloud
     * @param externalId the cloud's id of it
     * @param name its name
     * @param departmentId its department, null if unknown
     * @param host where it runs, null if unknown or several
     * @param allocated what it claims
     * @param cpuUse measured CPU in use over its allocation, null if not measured
     * @param lowSince since when it has been below the idle threshold without a break, null if it is not
     * @param idle true once it has been below the threshold for the configured period
     */
    public record WorkloadLine(String cloudId, String externalId, String name, String departmentId, String host,
            Resources allocated, Double cpuUse, Instant lowSince, boolean idle) {
        /** How long it has been below the idle threshold, zero if it is not. */
        public Duration lowFor(Instant now) {
            return lowSince == null ? Duration.ZERO : Duration.between(lowSince, now);
        }
    }
}
