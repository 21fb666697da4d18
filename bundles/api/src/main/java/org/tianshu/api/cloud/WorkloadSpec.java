package org.tianshu.api.cloud;

/**
 * What to create in a cloud. VMs use {@code flavor}, {@code image} and {@code network}; container
 * workloads use {@code image}, {@code replicas}, {@code cpuMillis}, {@code memoryMiB},
 * {@code gpus} and {@code controller} ({@code deployment} or {@code statefulset}).
 *
 * @param name workload name, a valid identifier
 * @param departmentId owning department; drivers map it to a project or namespace
 * @param kind vm or container
 * @param flavor VM flavor name
 * @param image VM image name, or container image reference
 * @param network VM network name, null for the cloud's default
 * @param replicas container replicas
 * @param cpuMillis container CPU request per replica
 * @param memoryMiB container memory request per replica
 * @param gpus container GPUs per replica
 * @param controller container controller kind
 */
public record WorkloadSpec(String name, String departmentId, WorkloadKind kind, String flavor, String image,
        String network, int replicas, long cpuMillis, long memoryMiB, long gpus, String controller) {

    /** A VM spec. */
    public static WorkloadSpec vm(String name, String departmentId, String flavor, String image, String network) {
        return new WorkloadSpec(name, departmentId, WorkloadKind.VM, flavor, image, network, 1, 0, 0, 0, null);
    }

    /** A container workload spec. */
    public static WorkloadSpec container(String name, String departmentId, String image, int replicas, long cpuMillis,
            long memoryMiB, long gpus, String controller) {
        return new WorkloadSpec(name, departmentId, WorkloadKind.CONTAINER, null, image, null, replicas, cpuMillis,
                memoryMiB, gpus, controller);
    }
}
