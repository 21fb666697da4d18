package org.tianshu.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.tenancy.QuotaService;

/** Small clouds, hosts, requests and an in-memory quota for the scheduler's tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Cloud cloud(String id, String city, int zone, boolean xinchuang, Map<String, String> options) {
        return new Cloud(id, id, CloudKind.OPENSTACK, city, "RegionOne", zone, xinchuang, "https://" + id, "cred-" + id, options);
    }

    static Cloud cloud(String id, String city) {
        return cloud(id, city, 3, false, Map.of());
    }

    static Host host(String cloudId, String name, String zone, long vcpus, long memGiB) {
        return new Host(cloudId, name, zone, new Resources(vcpus * 1000, memGiB * 1024, 1000, 0), Resources.ZERO, null, true);
    }

    static Host gpuHost(String cloudId, String name, String zone, String gpuType, long gpus) {
        return new Host(cloudId, name, zone, new Resources(64_000, 512 * 1024, 2000, gpus), Resources.ZERO, gpuType, true);
    }

    static Resources vm(long vcpus, long memGiB) {
        return new Resources(vcpus * 1000, memGiB * 1024, 20, 0);
    }

    static PlacementConstraints constraints() {
        return PlacementConstraints.NONE;
    }

    static PlacementConstraints residency(String city) {
        return new PlacementConstraints(Set.of(), 1, false, city, Set.of(), null, null, false, null);
    }

    static PlacementConstraints anti(String group, boolean spread) {
        return new PlacementConstraints(Set.of(), 1, false, null, Set.of(), null, group, spread, null);
    }

    static PlacementConstraints affinity(String group) {
        return new PlacementConstraints(Set.of(), 1, false, null, Set.of(), group, null, false, null);
    }

    /** Quota limits per department and resource index (cpu, memory, disk, gpus, instances) across all clouds. */
    static final class MemoryQuota implements QuotaService {
        final Map<String, long[]> limits = new HashMap<>();
        final Map<String, long[]> used = new HashMap<>();
        final Map<String, Object[]> held = new HashMap<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public synchronized void reserve(String requestId, String departmentId, String cloudId, Resources r, long instances) {
            calls.add("reserve " + requestId);
            if (held.containsKey(requestId)) {
                return;
            }
            long[] ask = {r.cpuMillis(), r.memoryMiB(), r.diskGiB(), r.gpus(), instances};
            long[] limit = limits.get(departmentId);
            long[] u = used.computeIfAbsent(departmentId, k -> new long[5]);
            if (limit != null) {
                for (int i = 0; i < 5; i++) {
                    if (u[i] + ask[i] > limit[i]) {
                        throw TianshuException.conflict("resource" + i, "quota exceeded on resource " + i + " for " + departmentId);
                    }
                }
            }
            for (int i = 0; i < 5; i++) {
                u[i] += ask[i];
            }
            held.put(requestId, new Object[] {departmentId, ask});
        }

        @Override
        public synchronized void release(String requestId) {
            calls.add("release " + requestId);
            Object[] h = held.remove(requestId);
            if (h != null) {
                long[] u = used.get((String) h[0]);
                long[] ask = (long[]) h[1];
                for (int i = 0; i < 5; i++) {
                    u[i] -= ask[i];
                }
            }
        }

        synchronized long used(String departmentId, int resource) {
            long[] u = used.get(departmentId);
            return u == null ? 0 : u[resource];
        }

        @Override
        public org.tianshu.api.tenancy.Quota set(String d, String c, org.tianshu.api.tenancy.QuotaResource r, long l,
                org.tianshu.api.Caller caller) {
            throw new UnsupportedOperationException("not used by the scheduler");
        }

        @Override
        public void remove(String d, String c, org.tianshu.api.tenancy.QuotaResource r, org.tianshu.api.Caller caller) {
            throw new UnsupportedOperationException("not used by the scheduler");
        }

        @Override
        public List<org.tianshu.api.tenancy.Quota> list(String d, org.tianshu.api.Caller caller) {
            throw new UnsupportedOperationException("not used by the scheduler");
        }
    }
}
