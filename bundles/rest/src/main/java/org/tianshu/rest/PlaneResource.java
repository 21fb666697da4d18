package org.tianshu.rest;

import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.PlaneDiff;
import org.tianshu.api.plane.PlaneIntent;

/**
 * {@code /planes} and {@code /topology}: business planes from plane files (JSON or YAML), their diff, status and
 * bandwidth, and the backbone. A runtime without the plane services answers 409 naming the missing feature.
 */
final class PlaneResource {
    /** Body of {@code PUT /planes/{name}/bandwidth}. */
    record BandwidthBody(Long minBandwidthMbps) {
    }

    /** Body of {@code POST /migrations/{network}/cutover}. */
    record CutOverBody(java.util.List<String> sites) {
    }

    private final Services s;

    PlaneResource(Services services) {
        this.s = services;
    }

    private static <T> T installed(T service) {
        if (service == null) {
            throw TianshuException.conflict(null, "business planes are not installed (features tianshu-planes, tianshu-slicing)");
        }
        return service;
    }

    void routes(Router r) {
        r.get("/planes", x -> Reply.ok(installed(s.planes()).list(x.caller())));
        r.mutate("POST", "/planes", "plane.apply", x -> {
            PlaneIntent intent = installed(s.planeAdmin()).parse(x.text("application/json", "application/yaml",
                    "application/x-yaml", "text/yaml", "text/plain"));
            boolean dryRun = "true".equals(x.query("dryRun"));
            x.target("plane/" + intent.name() + (dryRun ? " (dry run)" : ""));
            if (dryRun) {
                return Reply.ok(s.planeAdmin().plan(intent, x.caller()));
            }
            PlaneDiff diff = s.planeAdmin().apply(intent, x.caller());
            return diff.exists() ? Reply.ok(diff) : Reply.created(diff, "/api/v1/planes/" + intent.name());
        });
        r.get("/planes/{name}", x -> Reply.ok(installed(s.planes()).get(x.path("name"), x.caller())));
        r.get("/planes/{name}/status", x -> Reply.ok(installed(s.planes()).status(x.path("name"), x.caller())));
        r.mutate("PUT", "/planes/{name}/bandwidth", "plane.bandwidth", x -> {
            x.target("plane/" + x.path("name"));
            BandwidthBody b = x.body(BandwidthBody.class);
            long mbps = Exchange.required("minBandwidthMbps", b.minBandwidthMbps());
            return Reply.ok(installed(s.planeAdmin()).changeBandwidth(x.path("name"), mbps, x.caller()));
        });
        r.mutate("DELETE", "/planes/{name}", "plane.delete", x -> {
            x.target("plane/" + x.path("name"));
            installed(s.planeAdmin()).delete(x.path("name"), x.caller());
            return Reply.noContent();
        });
        r.mutate("POST", "/migrations", "plane.migrate", x -> {
            var plan = installed(s.planeAdmin()).parseMigration(x.text("application/json", "application/yaml",
                    "application/x-yaml", "text/yaml", "text/plain"));
            x.target("migration/" + plan.network());
            return Reply.created(s.planeAdmin().importNetwork(plan, x.caller()), "/api/v1/migrations/" + plan.network());
        });
        r.get("/migrations/{network}", x -> Reply.ok(installed(s.planeAdmin()).migration(x.path("network"), x.caller())));
        r.mutate("POST", "/migrations/{network}/cutover", "plane.cutover", x -> {
            x.target("migration/" + x.path("network"));
            CutOverBody b = x.body(CutOverBody.class);
            return Reply.ok(installed(s.planeAdmin()).cutOver(x.path("network"), Exchange.required("sites", b.sites()), x.caller()));
        });
        r.get("/topology", x -> {
            x.caller().checkOperator();
            return Reply.ok(installed(s.paths()).topology());
        });
        r.mutate("POST", "/topology/sync", "topology.sync", x -> {
            x.target("topology");
            return Reply.ok(installed(s.planeAdmin()).syncTopology(x.caller()));
        });
    }
}
