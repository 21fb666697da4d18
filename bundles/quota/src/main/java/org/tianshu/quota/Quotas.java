package org.tianshu.quota;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.api.tenancy.QuotaService;
import org.tianshu.persistence.Jdbc;

/**
 * Quotas in the database. A reservation increments every applicable limit row in one transaction
 * and rolls back if any row ends above its limit; the row locks taken by the increments serialise
 * concurrent reservations, so limits hold under any concurrency on H2 and PostgreSQL alike.
 */
@Component(service = QuotaService.class)
public class Quotas implements QuotaService {
    private final Jdbc jdbc;
    private final DepartmentService departments;
    private final CloudService clouds;

    @Activate
    public Quotas(@Reference(target = "(tianshu.database=main)") DataSource dataSource,
            @Reference DepartmentService departments, @Reference CloudService clouds) {
        this.jdbc = new Jdbc(dataSource);
        this.departments = departments;
        this.clouds = clouds;
    }

    @Override
    public Quota set(String departmentId, String cloudId, QuotaResource resource, long limit, Caller caller) {
        caller.checkOperator();
        departments.get(departmentId);
        String scope = scope(cloudId);
        Validation.nonNegative("limit", limit);
        return jdbc.tx(c -> {
            long used = reserved(departmentId, scope, resource);
            if (limit < used) {
                throw TianshuException.conflict("limit", "limit " + limit + " " + resource.unit() + " of " + resource.id()
                        + " is below what department '" + departmentId + "' already holds (" + used + ")");
            }
            int n = jdbc.update("UPDATE quota SET limit_value = ?, used = ? WHERE department_id = ? AND cloud_id = ? AND resource = ?",
                    limit, used, departmentId, scope, resource);
            if (n == 0) {
                jdbc.update("INSERT INTO quota(department_id, cloud_id, resource, limit_value, used) VALUES (?, ?, ?, ?, ?)",
                        departmentId, scope, resource, limit, used);
            }
            pushToCloud(departmentId, scope);
            return new Quota(departmentId, scope, resource, limit, used);
        });
    }

    @Override
    public void remove(String departmentId, String cloudId, QuotaResource resource, Caller caller) {
        caller.checkOperator();
        String scope = scope(cloudId);
        jdbc.tx(c -> {
            int n = jdbc.update("DELETE FROM quota WHERE department_id = ? AND cloud_id = ? AND resource = ?",
                    departmentId, scope, resource);
            if (n == 0) {
                throw TianshuException.notFound("resource", "quota", departmentId + "/" + scope + "/" + resource.id());
            }
            pushToCloud(departmentId, scope);
            return null;
        });
    }

    @Override
    public List<Quota> list(String departmentId, Caller caller) {
        caller.checkAccess(departmentId);
        departments.get(departmentId);
        return jdbc.query("SELECT * FROM quota WHERE department_id = ? ORDER BY cloud_id, resource",
                rs -> new Quota(rs.getString("department_id"), rs.getString("cloud_id"),
                        QuotaResource.valueOf(rs.getString("resource")), rs.getLong("limit_value"), rs.getLong("used")),
                departmentId);
    }

    @Override
    public void reserve(String requestId, String departmentId, String cloudId, Resources r, long instances) {
        jdbc.tx(c -> {
            if (jdbc.one("SELECT 1 FROM reservation WHERE request_id = ?", rs -> 1, requestId).isPresent()) {
                return null;
            }
            jdbc.update("INSERT INTO reservation(request_id, department_id, cloud_id, cpu, memory, disk, gpus, instances, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", requestId, departmentId, cloudId, r.cpuMillis(), r.memoryMiB(),
                    r.diskGiB(), r.gpus(), instances, Instant.now());
            for (QuotaResource q : QuotaResource.values()) {
                long amount = q.amount(r, instances);
                if (amount == 0) {
                    continue;
                }
                jdbc.update("UPDATE quota SET used = used + ? WHERE department_id = ? AND resource = ? AND cloud_id IN (?, ?)",
                        amount, departmentId, q, cloudId, Quota.ALL_CLOUDS);
                jdbc.one("SELECT cloud_id, limit_value, used FROM quota WHERE department_id = ? AND resource = ?"
                        + " AND cloud_id IN (?, ?) AND used > limit_value",
                        rs -> new Exceeded(rs.getString(1), rs.getLong(2), rs.getLong(3) - amount),
                        departmentId, q, cloudId, Quota.ALL_CLOUDS)
                        .ifPresent(x -> {
                            throw TianshuException.conflict(q.id(), "quota exceeded: department '" + departmentId + "' asks "
                                    + amount + " " + q.unit() + " of " + q.id() + " with " + x.inUse() + " of " + x.limit()
                                    + " in use " + (Quota.ALL_CLOUDS.equals(x.cloudId()) ? "across all clouds"
                                            : "in cloud '" + x.cloudId() + "'"));
                        });
            }
            return null;
        });
    }

    @Override
    public void release(String requestId) {
        jdbc.tx(c -> {
            jdbc.one("SELECT * FROM reservation WHERE request_id = ? FOR UPDATE", rs -> new Held(rs.getString("department_id"),
                    rs.getString("cloud_id"), new Resources(rs.getLong("cpu"), rs.getLong("memory"), rs.getLong("disk"),
                    rs.getLong("gpus")), rs.getLong("instances")), requestId)
                    .ifPresent(held -> {
                        for (QuotaResource q : QuotaResource.values()) {
                            long amount = q.amount(held.resources(), held.instances());
                            if (amount != 0) {
                                jdbc.update("UPDATE quota SET used = used - ? WHERE department_id = ? AND resource = ?"
                                        + " AND cloud_id IN (?, ?)", amount, held.departmentId(), q, held.cloudId(), Quota.ALL_CLOUDS);
                            }
                        }
                        jdbc.update("DELETE FROM reservation WHERE request_id = ?", requestId);
                    });
            return null;
        });
    }

    private record Held(String departmentId, String cloudId, Resources resources, long instances) {
    }

    private record Exceeded(String cloudId, long limit, long inUse) {
    }

    private long reserved(String departmentId, String scope, QuotaResource resource) {
        String column = switch (resource) {
            case CPU -> "cpu";
            case MEMORY -> "memory";
            case DISK -> "disk";
            case GPUS -> "gpus";
            case INSTANCES -> "instances";
        };
        String where = Quota.ALL_CLOUDS.equals(scope) ? "department_id = ?" : "department_id = ? AND cloud_id = ?";
        Object[] args = Quota.ALL_CLOUDS.equals(scope) ? new Object[] {departmentId} : new Object[] {departmentId, scope};
        return jdbc.one("SELECT COALESCE(SUM(" + column + "), 0) FROM reservation WHERE " + where, rs -> rs.getLong(1), args)
                .orElse(0L);
    }

    /** Mirrors the per-cloud limits into the cloud itself; a refusal there rolls the change back. */
    private void pushToCloud(String departmentId, String scope) {
        if (Quota.ALL_CLOUDS.equals(scope)) {
            return;
        }
        Map<QuotaResource, Long> limits = new EnumMap<>(QuotaResource.class);
        jdbc.query("SELECT resource, limit_value FROM quota WHERE department_id = ? AND cloud_id = ?",
                rs -> limits.put(QuotaResource.valueOf(rs.getString(1)), rs.getLong(2)), departmentId, scope);
        clouds.session(scope).applyQuota(departmentId, limits);
    }

    private String scope(String cloudId) {
        if (cloudId == null || cloudId.isBlank() || Quota.ALL_CLOUDS.equals(cloudId)) {
            return Quota.ALL_CLOUDS;
        }
        return clouds.get(cloudId).id();
    }
}
