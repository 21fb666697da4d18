package org.tianshu.audit;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.audit.AuditEvent;
import org.tianshu.api.audit.AuditService;
import org.tianshu.persistence.Jdbc;

/** Audit events in the database, mirrored to the {@code tianshu.audit} log category for log shippers. */
@Component(service = AuditService.class)
public class AuditLog implements AuditService {
    private static final Logger LOG = LoggerFactory.getLogger("tianshu.audit");
    private static final int MAX_DETAIL = 2000;

    private final Jdbc jdbc;

    @Activate
    public AuditLog(@Reference(target = "(tianshu.database=main)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public void record(Caller caller, String action, String target, String outcome, String detail) {
        String d = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
        jdbc.update("INSERT INTO audit_event(at, principal, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)",
                Instant.now(), caller.name(), action, target, outcome, d);
        LOG.info("principal={} action={} target={} outcome={} detail={}", caller.name(), action, target, outcome, d);
    }

    @Override
    public List<AuditEvent> recent(int limit, Caller caller) {
        caller.checkOperator();
        return jdbc.query("SELECT * FROM audit_event ORDER BY id DESC LIMIT ?",
                rs -> new AuditEvent(rs.getLong("id"), Jdbc.instant(rs, "at"), rs.getString("principal"),
                        rs.getString("action"), rs.getString("target"), rs.getString("outcome"), rs.getString("detail")),
                Math.max(1, Math.min(limit, 10_000)));
    }
}
