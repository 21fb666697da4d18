package org.tianshu.api.cloud;

import org.tianshu.api.Resources;

/**
 * Totals of one cloud.
 *
 * @param cloudId the cloud
 * @param hosts hosts up
 * @param capacity summed capacity of hosts up
 * @param allocated summed allocation
 * @param workloads workload count
 */
public record CapacitySummary(String cloudId, int hosts, Resources capacity, Resources allocated, int workloads) {
}
