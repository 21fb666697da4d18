package org.tianshu.api.cloud;

import java.time.Instant;

/**
 * Outcome of the last inventory sync of a cloud.
 *
 * @param cloudId the cloud
 * @param lastSync when the last sync finished, null if never
 * @param reachable whether the last sync reached the cloud
 * @param error the last sync's error, null when it succeeded
 * @param hosts hosts/nodes seen
 * @param workloads workloads seen
 */
public record CloudStatus(String cloudId, Instant lastSync, boolean reachable, String error, int hosts, int workloads) {
}
