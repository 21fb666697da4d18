package org.tianshu.adapter.openstack;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.tianshu.api.Resources;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.tenancy.QuotaResource;

/** Pure translations between OpenStack's vocabulary and Tianshu's. */
final class OpenStackMapping {
    /** Server metadata key that carries the Tianshu request id. */
    static final String REQUEST_METADATA = "tianshu.request";
    /** Nova's value for "no limit". */
    static final int UNLIMITED = -1;

    private OpenStackMapping() {
    }

    /** Nova server status (as Nova spells it) to a workload state; null means the server is gone. */
    static WorkloadState state(String novaStatus) {
        if (novaStatus == null) {
            return WorkloadState.GONE;
        }
        return switch (novaStatus.toUpperCase(java.util.Locale.ROOT)) {
            case "ACTIVE", "REBOOT", "HARD_REBOOT", "PASSWORD", "MIGRATING" -> WorkloadState.ACTIVE;
            case "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "REVERT_RESIZE" -> WorkloadState.BUILDING;
            case "SHUTOFF", "STOPPED", "SUSPENDED", "PAUSED", "SHELVED", "SHELVED_OFFLOADED", "RESCUE" ->
                WorkloadState.STOPPED;
            case "DELETED", "SOFT_DELETED" -> WorkloadState.GONE;
            default -> WorkloadState.ERROR;
        };
    }

    /**
     * The department a project stands for: its name when that is a valid department id and not
     * one of the cloud's own projects (admin, service), else null.
     */
    static String department(String projectName, Set<String> ignoredProjects) {
        if (projectName == null || ignoredProjects.contains(projectName)
                || !Validation.ID.matcher(projectName).matches()) {
            return null;
        }
        return projectName;
    }

    /** What a flavor claims. */
    static Resources flavor(int vcpus, long ramMiB, long diskGiB) {
        return new Resources(vcpus * 1000L, ramMiB, diskGiB, 0);
    }

    /** Nova quota values (cores, ram, instances) for Tianshu limits; absent ones are unlimited. */
    static Map<String, Integer> novaQuota(Map<QuotaResource, Long> limits) {
        Map<QuotaResource, Long> l = limits == null || limits.isEmpty() ? Map.of() : new EnumMap<>(limits);
        return Map.of(
                "cores", clamp(l.containsKey(QuotaResource.CPU) ? l.get(QuotaResource.CPU) / 1000 : null),
                "ram", clamp(l.get(QuotaResource.MEMORY)),
                "instances", clamp(l.get(QuotaResource.INSTANCES)));
    }

    private static int clamp(Long v) {
        if (v == null || v < 0) {
            return UNLIMITED;
        }
        return (int) Math.min(v, Integer.MAX_VALUE);
    }

    /**
     * The availability zone of compute host {@code host}, given each zone's hosts and their
     * services; null if no zone lists a nova-compute service on it.
     */
    static String zone(String host, Map<String, Map<String, Set<String>>> servicesByHostByZone) {
        for (var zone : servicesByHostByZone.entrySet()) {
            Set<String> services = zone.getValue().get(host);
            if (services != null && services.contains("nova-compute")) {
                return zone.getKey();
            }
        }
        return null;
    }
}
