package org.tianshu.api.cloud;

import org.tianshu.api.Resources;

/**
 * A hypervisor (OpenStack) or node (Kubernetes) with its capacity and what is allocated on it.
 *
 * @param cloudId the cloud it belongs to
 * @param name host or node name, unique in the cloud
 * @param zone availability zone, null if none
 * @param capacity allocatable capacity
 * @param allocated capacity claimed by workloads
 * @param gpuType GPU model where reported, else null
 * @param up whether the host is up and schedulable
 */
public record Host(String cloudId, String name, String zone, Resources capacity, Resources allocated, String gpuType,
        boolean up) {
}
