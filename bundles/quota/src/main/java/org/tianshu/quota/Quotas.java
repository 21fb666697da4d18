package org.tianshu.quota;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.Quota;
import org.tianshu.api.tenancy.QuotaResource;
import org.tianshu.api.tenancy.QuotaService;
import org.tianshu.persistence.Jdbc;

/**
 * Quotas in the database. A reservation increments every applicable limit row in one transaction
 * and rolls back if any row ends above its limit; the row locks taken by the increments serialise
 * concurrent reservations, so limits hold under any concurrency on H2 and PostgreSQL alike.
 *
 * <p>When an event publisher is present, a reservation that takes a quota to its near-limit share
 * publishes {@link EventType#QUOTA_NEAR_LIMIT} after it commits, and a reservation refused for
 * lack of quota publishes {@link EventType#QUOTA_OVER_LIMIT} after it rolls back; each once per
 * crossing (PID {@code org.tianshu.quota}).
 */
@Component(service = QuotaService.class, configurationPid = "org.tianshu.quota")
@Designate(ocd = Quotas.Config.class)
public class Quotas implements QuotaService {
    private static final Logger LOG = LoggerFactory.getLogger(Quotas.class);

    @ObjectClassDefinition(name = "Tianshu quotas", description = "When quota events are published")
    public @interface Config {
        @AttributeDefinition(description = "Share of a quota's limit (above 0, at most 1) at which a reservation"
                + " publishes QUOTA_NEAR_LIMIT")
        double nearLimitShare() default DEFAULT_NEAR_LIMIT_SHARE;
    }

    /** The near-limit share when none is configured. */
    public static final double DEFAULT_NEAR_LIMIT_SHARE = 0.9;

    private final Jdbc jdbc;
    private final DepartmentService departments;
    private final CloudService clouds;
    private volatile double nearLimitShare;
    /** Subjects of quotas whose over-limit event was published and whose use has not fallen below the share since. */
    private final Set<String> overLimit = ConcurrentHashMap.newKeySet();
    private volatile EventPublisher events;

    @Activate
    public Quotas(@Reference(target = "(tianshu.database=main)") DataSource dataSource,
            @Reference DepartmentService departments, @Reference CloudService clouds, Config config) {
        this(dataSource, departments, clouds, config.nearLimitShare());
    }

    /** For use without OSGi, with the default near-limit share. */
    public Quotas(DataSource dataSource, DepartmentService departments, CloudService clouds) {
        this(dataSource, departments, clouds, DEFAULT_NEAR_LIMIT_SHARE);
    }

    /** For use without OSGi. */
    public Quotas(DataSource dataSource, DepartmentService departments, CloudService clouds, double nearLimitShare) {
        this.jdbc = new Jdbc(dataSource);
        this.departments = departments;
        this.clouds = clouds;
        this.nearLimitShare = checked(nearLimitShare);
    }

    /**
     * A changed configuration applies to the next reservations, without replacing the service and every component
     * that uses it (also when etc/org.tianshu.quota.cfg is read after activation).
     */
    @Modified
    public void modified(Config config) {
        nearLimitShare = checked(config.nearLimitShare());
    }

    private static double checked(double nearLimitShare) {
        if (!(nearLimitShare > 0 && nearLimitShare <= 1)) {
            throw new IllegalArgumentException("nearLimitShare must be above 0 and at most 1, got " + nearLimitShare);
        }
        return nearLimitShare;
    }

    /** Publishes quota events when an event publisher is present. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void setEventPublisher(EventPublisher publisher) {
        events = publisher;
    }

    public void unsetEventPublisher(EventPublisher publisher) {
        if (events == publisher) {
            events = null;
        }
    }

    @Override
    public Quota set(String departmentId, String cloudId, QuotaResource resource, long limit, Caller caller) {
        caller.checkOperator();
        departments.get(departmentId);
        String scope = scope(cloudId);
        Validation.nonNegative("limit", limit);
        Quota quota = jdbc.tx(c -> {
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
        rearm(departmentId);
        return quota;
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
        overLimit.remove(subject(departmentId, resource, scope));
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
        List<Event> nearLimit = new ArrayList<>();
        try {
            jdbc.tx(c -> {
                nearLimit.clear();
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
                    List<Row> rows = rows(departmentId, q, cloudId);
                    for (Row x : rows) {
                        if (x.used() > x.limit()) {
                            throw new Refusal(TianshuException.conflict(q.id(), "quota exceeded: department '" + departmentId
                                    + "' asks " + amount + " " + q.unit() + " of " + q.id() + " with " + (x.used() - amount)
                                    + " of " + x.limit() + " in use " + (Quota.ALL_CLOUDS.equals(x.cloudId())
                                            ? "across all clouds" : "in cloud '" + x.cloudId() + "'")),
                                    event(EventType.QUOTA_OVER_LIMIT, departmentId, x, x.used() - amount, amount));
                        }
                    }
                    for (Row x : rows) {
                        double near = nearLimitShare * x.limit();
                        if (x.used() >= near && x.used() - amount < near) {
                            nearLimit.add(event(EventType.QUOTA_NEAR_LIMIT, departmentId, x, x.used(), amount));
                        }
                    }
                }
                return null;
            });
        } catch (Refusal refusal) {
            if (overLimit.add(refusal.event.subject())) {
                publish(refusal.event);
            }
            throw refusal.error;
        }
        nearLimit.forEach(this::publish);
    }

    /** A refused reservation: the error for the caller, the event to publish after the rollback. */
    private static final class Refusal extends RuntimeException {
        final TianshuException error;
        final Event event;

        Refusal(TianshuException cause, Event event) {
            super(cause.getMessage(), cause, false, false);
            this.error = cause;
            this.event = event;
        }
    }

    private record Row(String cloudId, QuotaResource resource, long limit, long used) {
    }

    private List<Row> rows(String departmentId, QuotaResource q, String cloudId) {
        return jdbc.query("SELECT cloud_id, limit_value, used FROM quota WHERE department_id = ? AND resource = ?"
                + " AND cloud_id IN (?, ?)", rs -> new Row(rs.getString(1), q, rs.getLong(2), rs.getLong(3)),
                departmentId, q, cloudId, Quota.ALL_CLOUDS);
    }

    private static String subject(String departmentId, QuotaResource q, String scope) {
        return "quota/" + departmentId + "/" + q.id() + (Quota.ALL_CLOUDS.equals(scope) ? "" : "/" + scope);
    }

    private static Event event(EventType type, String departmentId, Row x, long used, long requested) {
        String cloud = Quota.ALL_CLOUDS.equals(x.cloudId()) ? null : x.cloudId();
        return Event.now(type, subject(departmentId, x.resource(), x.cloudId()), departmentId, cloud,
                Map.of("resource", x.resource().id(), "used", Long.toString(used), "limit", Long.toString(x.limit()),
                        "requested", Long.toString(requested)));
    }

    /** Publishes {@code event} if a publisher is present; never throws into the caller. */
    private void publish(Event event) {
        EventPublisher publisher = events;
        if (publisher == null) {
            return;
        }
        try {
            publisher.publish(event);
        } catch (RuntimeException e) {
            LOG.warn("could not publish {} for {}", event.type(), event.subject(), e);
        }
    }

    /** Forgets the over-limit events of quotas of {@code departmentId} whose use is now below the near-limit share. */
    private void rearm(String departmentId) {
        if (overLimit.isEmpty()) {
            return;
        }
        jdbc.query("SELECT cloud_id, resource, limit_value, used FROM quota WHERE department_id = ?",
                rs -> new Row(rs.getString(1), QuotaResource.valueOf(rs.getString(2)), rs.getLong(3), rs.getLong(4)),
                departmentId).stream()
                .filter(x -> x.used() < nearLimitShare * x.limit())
                .forEach(x -> overLimit.remove(subject(departmentId, x.resource(), x.cloudId())));
    }

    @Override
    public void release(String requestId) {
        Held released = jdbc.tx(c -> {
            Held held = jdbc.one("SELECT * FROM reservation WHERE request_id = ? FOR UPDATE", rs -> new Held(rs.getString("department_id"),
                    rs.getString("cloud_id"), new Resources(rs.getLong("cpu"), rs.getLong("memory"), rs.getLong("disk"),
                    rs.getLong("gpus")), rs.getLong("instances")), requestId).orElse(null);
            if (held == null) {
                return null;
            }
            for (QuotaResource q : QuotaResource.values()) {
                long amount = q.amount(held.resources(), held.instances());
                if (amount != 0) {
                    jdbc.update("UPDATE quota SET used = used - ? WHERE department_id = ? AND resource = ?"
                            + " AND cloud_id IN (?, ?)", amount, held.departmentId(), q, held.cloudId(), Quota.ALL_CLOUDS);
                }
            }
            jdbc.update("DELETE FROM reservation WHERE request_id = ?", requestId);
            return held;
        });
        if (released != null) {
            rearm(released.departmentId());
        }
    }

    private record Held(String departmentId, String cloudId, Resources resources, long instances) {
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
