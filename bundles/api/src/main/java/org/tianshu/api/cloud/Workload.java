package org.tianshu.api.cloud;

import org.tianshu.api.Resources;

/**
 * A VM or container workload as the inventory knows it.
 *
 * @param cloudId the cloud it runs in
 * @param externalId the cloud's own id (server UUID; {@code namespace/kind/name} on Kubernetes)
 * @param name workload name
 * @param kind vm or container
 * @param departmentId owning department, null if the cloud's project/namespace maps to none
 * @param host host/node it runs on, null if unknown or several
 * @param state as last reported
 * @param resources what it claims (flavor size, or requests times replicas)
 * @param requestId the Tianshu provisioning request that created it, null for workloads made elsewhere
 */
public record Workload(String cloudId, String externalId, String name, WorkloadKind kind, String departmentId,
        String host, WorkloadState state, Resources resources, String requestId) {
}
