package org.tianshu.api.cloud;

import java.util.List;

/**
 * Differences between what Tianshu provisioned and what a cloud has.
 *
 * @param cloudId the cloud
 * @param unmanaged workloads the cloud has that Tianshu did not provision
 * @param missing workloads Tianshu provisioned that the cloud no longer has
 */
public record Drift(String cloudId, List<Workload> unmanaged, List<Workload> missing) {
}
