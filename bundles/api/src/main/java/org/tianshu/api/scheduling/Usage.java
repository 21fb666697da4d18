package org.tianshu.api.scheduling;

import java.time.Instant;

/**
 * One measurement of use, from a {@link UsageSource}: of a host, or of a workload on it.
 *
 * @param cloudId the cloud
 * @param host the host or node
 * @param workloadId the workload's external id; null for the host itself
 * @param cpu CPU in use as a fraction of the host's capacity (host) or of the workload's allocation (workload)
 * @param at when it was measured
 */
public record Usage(String cloudId, String host, String workloadId, double cpu, Instant at) {
}
