package org.tianshu.inventory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.CapacitySummary;
import org.tianshu.api.cloud.CloudSnapshot;
import org.tianshu.api.cloud.CloudStatus;
import org.tianshu.api.cloud.Drift;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.persistence.Jdbc;

/**
 * The inventory tables: each sync brings a cloud's hosts and workloads to what the cloud reported,
 * in one transaction, so readers never see half a sync.
 */
public class InventoryStore {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryStore.class);

    private final Jdbc jdbc;
    private final CloudRegistry registry;
    private final CloudRows hostRows;
    private final CloudRows workloadRows;

    public InventoryStore(Jdbc jdbc, CloudRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.hostRows = new CloudRows(jdbc, "host", "name", "zone", "cap_cpu", "cap_memory", "cap_disk", "cap_gpus",
                "used_cpu", "used_memory", "used_disk", "used_gpus", "gpu_type", "up");
        this.workloadRows = new CloudRows(jdbc, "workload", "external_id", "name", "kind", "department_id", "host", "state",
                "cpu", "memory", "disk", "gpus", "request_id");
    }

    /** Discovers one cloud and stores the result; an unreachable cloud keeps its last inventory. */
    public CloudStatus sync(String cloudId) {
        return sync(cloudId, e -> { });
    }

    /** Syncs {@code cloudId}; a failure to discover it is recorded in its status and handed to {@code onFailure}. */
    CloudStatus sync(String cloudId, java.util.function.Consumer<TianshuException> onFailure) {
        registry.get(cloudId);
        CloudSnapshot snapshot;
        try {
            snapshot = registry.session(cloudId).discover();
        } catch (TianshuException e) {
            LOG.warn("sync of cloud {} failed: {}", cloudId, e.getMessage());
            registry.closeSession(cloudId);
            jdbc.update("UPDATE cloud SET last_sync = ?, reachable = FALSE, sync_error = ? WHERE id = ?", Instant.now(),
                    e.getMessage(), cloudId);
            onFailure.accept(e);
            return registry.status(cloudId);
        }
        store(cloudId, snapshot);
        return registry.status(cloudId);
    }

    void store(String cloudId, CloudSnapshot s) {
        List<Object[]> hosts = new ArrayList<>(s.hosts().size());
        for (Host h : s.hosts()) {
            hosts.add(new Object[] {h.name(), h.zone(), h.capacity().cpuMillis(), h.capacity().memoryMiB(),
                h.capacity().diskGiB(), h.capacity().gpus(), h.allocated().cpuMillis(), h.allocated().memoryMiB(),
                h.allocated().diskGiB(), h.allocated().gpus(), h.gpuType(), h.up()});
        }
        List<Object[]> workloads = new ArrayList<>(s.workloads().size());
        for (Workload w : s.workloads()) {
            workloads.add(new Object[] {w.externalId(), w.name(), w.kind(), w.departmentId(), w.host(), w.state(),
                w.resources().cpuMillis(), w.resources().memoryMiB(), w.resources().diskGiB(), w.resources().gpus(),
                w.requestId()});
        }
        jdbc.tx(c -> {
            // one sync of a cloud at a time (periodic, on register, on demand; across runtimes too)
            jdbc.one("SELECT id FROM cloud WHERE id = ? FOR UPDATE", rs -> rs.getString(1), cloudId);
            hostRows.replace(cloudId, hosts);
            workloadRows.replace(cloudId, workloads);
            jdbc.update("UPDATE cloud SET last_sync = ?, reachable = TRUE, sync_error = NULL, host_count = ?,"
                    + " workload_count = ? WHERE id = ?", s.takenAt(), hosts.size(), workloads.size(), cloudId);
            return null;
        });
    }

    public List<Host> hosts(String cloudId) {
        if (cloudId == null) {
            return jdbc.query("SELECT * FROM host ORDER BY cloud_id, name", InventoryStore::host);
        }
        registry.get(cloudId);
        return jdbc.query("SELECT * FROM host WHERE cloud_id = ? ORDER BY name", InventoryStore::host, cloudId);
    }

    public List<Workload> workloads(String cloudId, String departmentId) {
        StringBuilder sql = new StringBuilder("SELECT * FROM workload WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (cloudId != null) {
            registry.get(cloudId);
            sql.append(" AND cloud_id = ?");
            args.add(cloudId);
        }
        if (departmentId != null) {
            sql.append(" AND department_id = ?");
            args.add(departmentId);
        }
        sql.append(" ORDER BY cloud_id, name");
        return jdbc.query(sql.toString(), InventoryStore::workload, args.toArray());
    }

    public List<CapacitySummary> capacity() {
        return jdbc.query("SELECT c.id, COUNT(h.name), COALESCE(SUM(h.cap_cpu), 0), COALESCE(SUM(h.cap_memory), 0),"
                + " COALESCE(SUM(h.cap_disk), 0), COALESCE(SUM(h.cap_gpus), 0), COALESCE(SUM(h.used_cpu), 0),"
                + " COALESCE(SUM(h.used_memory), 0), COALESCE(SUM(h.used_disk), 0), COALESCE(SUM(h.used_gpus), 0),"
                + " MAX(c.workload_count)"
                + " FROM cloud c LEFT JOIN host h ON h.cloud_id = c.id AND h.up = TRUE GROUP BY c.id ORDER BY c.id",
                rs -> new CapacitySummary(rs.getString(1), rs.getInt(2),
                        new Resources(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)),
                        new Resources(rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)), rs.getInt(11)));
    }

    /**
     * Unmanaged: in the cloud with no Tianshu request behind it. Missing: provisioned by Tianshu and
     * active in its journal, but absent from the cloud's last sync.
     */
    public Drift drift(String cloudId) {
        registry.get(cloudId);
        List<Workload> unmanaged = jdbc.query("SELECT * FROM workload w WHERE w.cloud_id = ? AND (w.request_id IS NULL"
                + " OR NOT EXISTS (SELECT 1 FROM provisioning p WHERE p.id = w.request_id)) ORDER BY w.name",
                InventoryStore::workload, cloudId);
        List<Workload> missing = jdbc.query("SELECT * FROM provisioning p WHERE p.cloud_id = ? AND p.state = 'ACTIVE'"
                + " AND NOT EXISTS (SELECT 1 FROM workload w WHERE w.cloud_id = p.cloud_id AND w.external_id = p.external_id)"
                + " ORDER BY p.created_at",
                rs -> new Workload(rs.getString("cloud_id"), rs.getString("external_id"), rs.getString("name"),
                        WorkloadKind.valueOf(rs.getString("kind")), rs.getString("department_id"), null, WorkloadState.GONE,
                        new Resources(rs.getLong("cpu"), rs.getLong("memory"), rs.getLong("disk"), rs.getLong("gpus")),
                        rs.getString("id")),
                cloudId);
        return new Drift(cloudId, unmanaged, missing);
    }

    private static Host host(ResultSet rs) throws SQLException {
        return new Host(rs.getString("cloud_id"), rs.getString("name"), rs.getString("zone"),
                new Resources(rs.getLong("cap_cpu"), rs.getLong("cap_memory"), rs.getLong("cap_disk"), rs.getLong("cap_gpus")),
                new Resources(rs.getLong("used_cpu"), rs.getLong("used_memory"), rs.getLong("used_disk"), rs.getLong("used_gpus")),
                rs.getString("gpu_type"), rs.getBoolean("up"));
    }

    private static Workload workload(ResultSet rs) throws SQLException {
        return new Workload(rs.getString("cloud_id"), rs.getString("external_id"), rs.getString("name"),
                WorkloadKind.valueOf(rs.getString("kind")), rs.getString("department_id"), rs.getString("host"),
                WorkloadState.valueOf(rs.getString("state")),
                new Resources(rs.getLong("cpu"), rs.getLong("memory"), rs.getLong("disk"), rs.getLong("gpus")),
                rs.getString("request_id"));
    }
}
