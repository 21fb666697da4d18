package org.tianshu.api.scheduling;

import java.util.List;

/**
 * SPI: measured use of hosts and workloads (e.g. Gnocchi on OpenStack, metrics-server on Kubernetes), registered
 * as an OSGi service. Without one, efficiency is judged on allocation alone and no workload is found idle.
 */
public interface UsageSource {
    /** The latest measurements of every host and workload this source knows; must not block for long. */
    List<Usage> sample();
}
