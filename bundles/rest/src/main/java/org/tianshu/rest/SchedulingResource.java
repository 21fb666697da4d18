package org.tianshu.rest;

import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.RebalancePlan;
import org.tianshu.api.scheduling.RebalanceService;
import org.tianshu.api.scheduling.SchedulerService;
import org.tianshu.api.scheduling.SchedulingPolicy;
import org.tianshu.api.scheduling.ShowbackReport;

/**
 * {@code /placements}, {@code /reservations}, {@code /departments/{id}/scheduling-policy}, {@code /efficiency},
 * {@code /rebalance-plans} and {@code /showback}: placement with its explanation (a dry run unless asked to
 * reserve), the reservations held, departments' scheduling policies, how well capacity is used, rebalancing plans,
 * and priced usage per department (JSON, or CSV with {@code format=csv}).
 */
final class SchedulingResource {
    /** Body of {@code POST /placements}; {@code dryRun} defaults to true. */
    record PlacementBody(String departmentId, ResourcesBody demand, Integer count,
            PlacementBodies.ConstraintsBody constraints, PlacementBodies.PreferencesBody preferences, Boolean explainHosts,
            Boolean dryRun) {
    }

    /** What one member needs; absent amounts are 0. */
    record ResourcesBody(Long cpuMillis, Long memoryMiB, Long diskGiB, Long gpus) {
        Resources toResources() {
            return new Resources(or0(cpuMillis), or0(memoryMiB), or0(diskGiB), or0(gpus));
        }

        private static long or0(Long v) {
            return v == null ? 0 : v;
        }
    }

    /** Body of {@code POST /rebalance-plans}: the cloud to plan for, null for every cloud. */
    record RebalanceBody(String cloud) {
    }

    /** Body of {@code PUT /departments/{id}/scheduling-policy}. */
    record PolicyBody(java.util.Set<String> allowedClouds, PlacementBodies.PreferencesBody preferences) {
    }

    private final Services s;

    SchedulingResource(Services services) {
        this.s = services;
    }

    private SchedulerService scheduler() {
        if (s.scheduler() == null) {
            throw TianshuException.conflict(null, "the scheduler is not installed (feature tianshu-scheduler)");
        }
        return s.scheduler();
    }

    private RebalanceService rebalance() {
        if (s.rebalance() == null) {
            throw TianshuException.conflict(null, "the scheduler is not installed (feature tianshu-scheduler)");
        }
        return s.rebalance();
    }

    private static java.time.Instant instant(String field, String value) {
        try {
            return java.time.Instant.parse(Exchange.required(field, value));
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiProblem.badRequest(field, field + " must be an ISO-8601 instant like 2026-11-01T00:00:00Z, got '" + value + "'");
        }
    }

    void routes(Router r) {
        r.mutate("POST", "/placements", "placement.create", x -> {
            PlacementBody b = x.body(PlacementBody.class);
            boolean dryRun = !Boolean.FALSE.equals(b.dryRun());
            x.target("placement/" + b.departmentId() + (dryRun ? " (dry run)" : ""));
            Resources demand = Exchange.required("demand", b.demand()).toResources();
            Placement p = scheduler().place(new PlacementRequest(b.departmentId(), demand, b.count() == null ? 1 : b.count(),
                    PlacementBodies.constraints(b.constraints()), PlacementBodies.preferences(b.preferences()),
                    Boolean.TRUE.equals(b.explainHosts())), dryRun, x.caller());
            if (p.outcome() == Placement.Outcome.PLACED) {
                x.target("reservation/" + p.reservationId());
                return Reply.created(p, "/api/v1/reservations/" + p.reservationId());
            }
            return Reply.ok(p);
        });
        r.get("/reservations", x -> {
            Caller caller = x.caller();
            return Reply.ok(scheduler().reservations(x.query("department"), caller));
        });
        r.mutate("DELETE", "/reservations/{id}", "reservation.release", x -> {
            x.target("reservation/" + x.path("id"));
            scheduler().release(x.path("id"), x.caller());
            return Reply.noContent();
        });
        r.get("/efficiency", x -> {
            if (s.efficiency() == null) {
                throw TianshuException.conflict(null, "the scheduler is not installed (feature tianshu-scheduler)");
            }
            return Reply.ok(s.efficiency().evaluate(x.caller()));
        });
        r.get("/showback", x -> {
            if (s.showback() == null) {
                throw TianshuException.conflict(null, "the scheduler is not installed (feature tianshu-scheduler)");
            }
            ShowbackReport report = s.showback().report(instant("from", x.query("from")), instant("to", x.query("to")),
                    x.query("department"), x.caller());
            String format = x.query("format");
            if (format == null || "json".equals(format)) {
                return Reply.ok(report);
            }
            if ("csv".equals(format)) {
                return Reply.text("text/csv", report.toCsv());
            }
            throw ApiProblem.badRequest("format", "format must be json or csv, got '" + format + "'");
        });
        r.get("/rebalance-plans", x -> Reply.ok(rebalance().list(x.caller())));
        r.mutate("POST", "/rebalance-plans", "rebalance.propose", x -> {
            RebalanceBody b = x.body(RebalanceBody.class);
            x.target("rebalance/" + (b.cloud() == null ? "*" : b.cloud()));
            RebalancePlan p = rebalance().propose(b.cloud(), x.caller());
            x.target("rebalance/" + p.id());
            return Reply.created(p, "/api/v1/rebalance-plans/" + p.id());
        });
        r.get("/rebalance-plans/{id}", x -> Reply.ok(rebalance().get(x.path("id"), x.caller())));
        r.mutate("POST", "/rebalance-plans/{id}/approve", "rebalance.approve", x -> {
            x.target("rebalance/" + x.path("id"));
            return Reply.ok(rebalance().approve(x.path("id"), x.caller()));
        });
        r.mutate("POST", "/rebalance-plans/{id}/execute", "rebalance.execute", x -> {
            x.target("rebalance/" + x.path("id"));
            RebalancePlan p = rebalance().execute(x.path("id"), x.caller());
            return Reply.accepted(p, "/api/v1/rebalance-plans/" + p.id());
        });
        r.get("/departments/{id}/scheduling-policy", x -> Reply.ok(scheduler().policy(x.path("id"), x.caller())));
        r.mutate("PUT", "/departments/{id}/scheduling-policy", "scheduling-policy.set", x -> {
            x.target("department/" + x.path("id") + "/scheduling-policy");
            PolicyBody b = x.body(PolicyBody.class);
            return Reply.ok(scheduler().setPolicy(new SchedulingPolicy(x.path("id"), b.allowedClouds(),
                    PlacementBodies.preferences(b.preferences())), x.caller()));
        });
    }
}
