package org.tianshu.rest;

import java.time.Duration;
import java.util.function.IntSupplier;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;

/** {@code /dr/...}: protection groups, recovery plans, runs (drill, failover...) with their live progress and reports. */
final class DrResource {
    /** Body of {@code POST /dr/plans/{id}/runs}. */
    record RunBody(String operation, Boolean confirmed) {
    }

    private final Services s;
    private final IntSupplier maxWaitSeconds;

    DrResource(Services services, IntSupplier maxWaitSeconds) {
        this.s = services;
        this.maxWaitSeconds = maxWaitSeconds;
    }

    void routes(Router r) {
        r.get("/dr/groups", x -> Reply.ok(s.dr().groups(x.caller())));
        r.mutate("POST", "/dr/groups", "dr.group.create", x -> {
            ProtectionGroup g = x.body(ProtectionGroup.class);
            x.target("dr-group/" + g.id());
            ProtectionGroup created = s.drAdmin().createGroup(g, x.caller());
            return Reply.created(created, "/api/v1/dr/groups/" + created.id());
        });
        r.get("/dr/groups/{id}", x -> Reply.ok(s.dr().group(x.path("id"), x.caller())));
        r.mutate("DELETE", "/dr/groups/{id}", "dr.group.delete", x -> {
            x.target("dr-group/" + x.path("id"));
            s.drAdmin().deleteGroup(x.path("id"), x.caller());
            return Reply.noContent();
        });
        r.get("/dr/groups/{id}/replication", x -> Reply.ok(s.dr().replication(x.path("id"), x.caller())));
        r.mutate("POST", "/dr/groups/{id}/replication", "dr.group.replicate", x -> {
            x.target("dr-group/" + x.path("id"));
            return Reply.ok(s.drAdmin().replicate(x.path("id"), x.caller()));
        });
        r.get("/dr/plans", x -> Reply.ok(s.dr().plans(x.query("group"), x.caller())));
        r.mutate("POST", "/dr/plans", "dr.plan.create", x -> {
            RecoveryPlan p = x.body(RecoveryPlan.class);
            x.target("dr-plan/" + p.id());
            RecoveryPlan created = s.drAdmin().createPlan(p, x.caller());
            return Reply.created(created, "/api/v1/dr/plans/" + created.id());
        });
        r.get("/dr/plans/{id}", x -> Reply.ok(s.dr().plan(x.path("id"), x.caller())));
        r.mutate("DELETE", "/dr/plans/{id}", "dr.plan.delete", x -> {
            x.target("dr-plan/" + x.path("id"));
            s.drAdmin().deletePlan(x.path("id"), x.caller());
            return Reply.noContent();
        });
        r.get("/dr/plans/{id}/runs", x -> Reply.ok(s.dr().runs(x.path("id"), x.caller())));
        r.mutate("POST", "/dr/plans/{id}/runs", "dr.run.start", x -> {
            RunBody b = x.body(RunBody.class);
            DrOperation op = operation(Exchange.required("operation", b.operation()));
            x.target("dr-plan/" + x.path("id") + "/" + op.name().toLowerCase());
            DrRun run = s.drAdmin().start(x.path("id"), op, Boolean.TRUE.equals(b.confirmed()), x.caller());
            x.target("dr-run/" + run.id());
            return Reply.accepted(run, "/api/v1/dr/runs/" + run.id());
        });
        r.get("/dr/runs/{id}", x -> {
            int wait = x.queryInt("wait", 0, 0, maxWaitSeconds.getAsInt());
            return Reply.ok(wait == 0 ? s.dr().run(x.path("id"), x.caller())
                    : s.dr().await(x.path("id"), Duration.ofSeconds(wait), x.caller()));
        });
        r.mutate("POST", "/dr/runs/{id}/cleanup", "dr.run.cleanup", x -> {
            x.target("dr-run/" + x.path("id"));
            DrRun run = s.drAdmin().cleanup(x.path("id"), x.caller());
            return Reply.accepted(run, "/api/v1/dr/runs/" + run.id());
        });
        r.get("/dr/runs/{id}/report", x -> Reply.ok(s.dr().report(x.path("id"), x.caller())));
        r.get("/dr/schedules", x -> Reply.ok(s.dr().scheduledDrills(x.caller())));
        r.get("/dr/runs/{id}/report.html", x -> Reply.text("text/html", s.dr().reportHtml(x.path("id"), x.caller())));
        r.get("/dr/runs/{id}/report.pdf", x -> Reply.binary("application/pdf", s.dr().reportPdf(x.path("id"), x.caller())));
    }

    private static DrOperation operation(String value) {
        try {
            return DrOperation.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw org.tianshu.api.TianshuException.invalid("operation", "operation must be one of drill, cleanup,"
                    + " planned_migration, failover, reprotect, failback; got '" + value + "'");
        }
    }
}
