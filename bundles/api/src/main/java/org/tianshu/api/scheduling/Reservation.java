package org.tianshu.api.scheduling;

import java.time.Instant;
import java.util.Map;
import org.tianshu.api.Resources;

/**
 * Capacity the scheduler holds for a placement or a provisioning request; kept in the database, so a restart
 * keeps it.
 *
 * @param id the reservation id (for a hold, the provisioning request id)
 * @param departmentId the department it is for
 * @param hold true for a hold of a provisioning request (its quota is the request's), false for a placement
 *        (its quota is reserved under this id)
 * @param settled true once the inventory reports the workload, so its host allocation counts it; the reservation
 *        then only keeps its group membership until released
 * @param hosts what it holds per host, keyed {@code cloud/host}
 * @param affinityGroup its affinity group, null for none
 * @param antiAffinityGroup its anti-affinity group, null for none
 * @param createdAt when it was made
 */
public record Reservation(String id, String departmentId, boolean hold, boolean settled, Map<String, Resources> hosts,
        String affinityGroup, String antiAffinityGroup, Instant createdAt) {
    public Reservation {
        hosts = Map.copyOf(hosts);
    }
}
