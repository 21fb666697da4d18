package org.tianshu.api.cloud;

import java.time.Instant;
import java.util.List;

/**
 * Everything a driver discovered in one cloud at one moment.
 *
 * @param hosts hypervisors or nodes with capacity and allocation
 * @param workloads every VM/container workload in the projects/namespaces visible to Tianshu
 * @param flavors VM sizes (empty for Kubernetes)
 * @param images images (empty for Kubernetes)
 * @param networks networks (empty for Kubernetes)
 * @param takenAt when discovery finished
 */
public record CloudSnapshot(List<Host> hosts, List<Workload> workloads, List<Flavor> flavors, List<CatalogItem> images,
        List<CatalogItem> networks, Instant takenAt) {
    public CloudSnapshot {
        hosts = List.copyOf(hosts);
        workloads = List.copyOf(workloads);
        flavors = List.copyOf(flavors);
        images = List.copyOf(images);
        networks = List.copyOf(networks);
    }
}
