package org.tianshu.shell;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PathComputationService;
import org.tianshu.api.plane.Plane;
import org.tianshu.api.plane.PlaneAdminService;
import org.tianshu.api.plane.PlaneChange;
import org.tianshu.api.plane.PlaneDiff;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneService;
import org.tianshu.api.plane.PlaneStatus;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SloCheck;
import org.tianshu.api.plane.SrPolicy;
import org.tianshu.api.plane.Topology;

/** Commands on business planes and the backbone; the plane services are optional (feature tianshu-planes). */
final class PlaneCommands {
    private PlaneCommands() {
    }

    static <T> T installed(T service) {
        if (service == null) {
            throw TianshuException.conflict(null, "business planes are not installed (feature tianshu-planes)");
        }
        return service;
    }

    static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw TianshuException.invalid("file", "no such file: " + file);
        } catch (java.io.IOException e) {
            throw TianshuException.invalid("file", "cannot read " + file + ": " + e.getMessage());
        }
    }

    static void printDiff(java.io.PrintStream out, PlaneDiff diff, boolean dryRun) {
        String verb = dryRun ? (diff.exists() ? "would change" : "would create") : (diff.exists() ? "changed" : "created");
        if (diff.empty()) {
            out.println("plane " + diff.plane() + ": nothing to change");
            return;
        }
        out.println("plane " + diff.plane() + " " + verb + " (" + diff.changes().size() + " changes):");
        for (PlaneChange c : diff.changes()) {
            out.println("  " + c);
        }
    }

    static String path(org.tianshu.api.plane.Path p) {
        return p == null ? "-" : String.join(">", p.routers()) + " " + p.latencyMicros() / 1000.0 + " ms";
    }

    @Command(scope = "tianshu", name = "plane-apply", description = "Creates or updates a business plane from a YAML or JSON file; --dry-run shows the diff only")
    @Service
    public static class PlaneApplyCommand extends TianshuAction {
        @Reference(optional = true)
        PlaneAdminService admin;

        @Option(name = "--dry-run", description = "Validate and admit, show what would change, reserve nothing")
        boolean dryRun;

        @Argument(index = 0, name = "file", required = true, description = "Plane file (see lab/planes/README.md)")
        @Completion(FileCompleter.class)
        String file;

        @Override
        void run() {
            PlaneAdminService a = installed(admin);
            PlaneIntent intent = a.parse(read(file));
            PlaneDiff diff = dryRun ? a.plan(intent, caller())
                    : audited("plane-apply", intent.name(), () -> a.apply(intent, caller()));
            printDiff(out(), diff, dryRun);
        }
    }

    @Command(scope = "tianshu", name = "plane-diff", description = "What applying a plane file would change (same as plane-apply --dry-run)")
    @Service
    public static class PlaneDiffCommand extends TianshuAction {
        @Reference(optional = true)
        PlaneAdminService admin;

        @Argument(index = 0, name = "file", required = true, description = "Plane file")
        @Completion(FileCompleter.class)
        String file;

        @Override
        void run() {
            PlaneAdminService a = installed(admin);
            printDiff(out(), a.plan(a.parse(read(file)), caller()), true);
        }
    }

    @Command(scope = "tianshu", name = "plane-list", description = "Business planes")
    @Service
    public static class PlaneListCommand extends TianshuAction {
        @Reference(optional = true)
        PlaneService planes;

        @Override
        void run() {
            ShellTable t = Tables.of("NAME", "TABLE", "STATE", "SITES", "CONNECTIVITY", "ISOLATION", "MBPS",
                    "PROTECTION", "IPV6 BLOCK", "DEPARTMENTS")
                    .emptyTableText("no planes");
            for (Plane p : installed(planes).list(caller())) {
                PlaneIntent i = p.intent();
                t.addRow().addContent(p.name(), p.table(), p.state(), i.sites().size(), i.connectivity(), i.isolation(),
                        i.slo().minBandwidthMbps(), i.protection(), dash(p.ipv6Block()), String.join(",", i.departments()));
            }
            t.print(out());
        }
    }

    @Command(scope = "tianshu", name = "plane-show", description = "A business plane: sites, prefixes, SIDs, paths, SR policies, health")
    @Service
    public static class PlaneShowCommand extends TianshuAction {
        @Reference(optional = true)
        PlaneService planes;

        @Argument(index = 0, name = "name", required = true, description = "Plane name")
        String name;

        @Override
        void run() {
            PlaneService s = installed(planes);
            Plane p = s.get(name, caller());
            PlaneIntent i = p.intent();
            PlaneStatus status = s.status(name, caller());
            out().println("Plane " + p.name() + " (table " + p.table() + "): " + p.state() + (status.realised() ? ", in the network as planned"
                    : ", drift: " + status.drift()));
            if (p.message() != null) {
                out().println("  " + p.message());
            }
            out().println("  " + i.connectivity() + (i.hub() == null ? "" : " hub " + i.hub()) + ", " + i.isolation() + " "
                    + i.slo().minBandwidthMbps() + " Mbps, max latency " + (i.slo().maxLatencyMs() == 0 ? "none" : i.slo().maxLatencyMs() + " ms")
                    + ", max loss " + i.slo().maxLossPercent() + " %, " + i.protection() + ", " + i.addressFamily()
                    + ", departments " + i.departments());
            out().println("  blocks: " + p.ipv6Block() + (p.ipv4Block() == null ? "" : ", " + p.ipv4Block()));
            if (p.realisation() != null) {
                ShellTable sites = Tables.of("SITE", "ATTACHMENT", "IPV6", "IPV4", "DECAP SID");
                for (SiteBinding b : p.realisation().sites()) {
                    sites.addRow().addContent(b.site(), b.attachment(), b.ipv6Prefix(), dash(b.ipv4Prefix()), b.decapSid());
                }
                sites.print(out());
            }
            ShellTable paths = Tables.of("PAIR", "PRIMARY", "BACKUP", "MBPS")
                    .emptyTableText("no paths (all sites on one router)");
            for (PathAnswer a : p.paths()) {
                paths.addRow().addContent(a.id().substring(a.id().indexOf('/') + 1), path(a.primary()), path(a.backup()),
                        a.request().bandwidthMbps());
            }
            paths.print(out());
            if (p.realisation() != null) {
                ShellTable policies = Tables.of("FROM", "TO", "ROLE", "SEGMENTS");
                for (SrPolicy sp : p.realisation().policies()) {
                    policies.addRow().addContent(sp.from(), sp.to(), sp.backup() ? "backup" : "primary", String.join(", ", sp.segments()));
                }
                policies.print(out());
            }
            out().println("SLO verification: " + (status.compliant() == null ? "not run yet (no probe, or before the first round)"
                    : status.compliant() ? "compliant" : "VIOLATED"));
            if (!status.checks().isEmpty()) {
                ShellTable checks = Tables.of("FROM", "TO", "IP", "LOSS %", "LATENCY MS", "MBIT/S", "RESULT");
                for (SloCheck c : status.checks()) {
                    checks.addRow().addContent(c.from(), (c.isolation() ? "isolated from " : "") + c.to(), "v" + c.family(),
                            String.format(java.util.Locale.ROOT, "%.1f", 100 * c.loss()),
                            c.latencyMicros() < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.2f", c.latencyMicros() / 1000.0),
                            c.bandwidthMbps() < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f", c.bandwidthMbps()),
                            c.compliant() ? "ok" : c.violation());
                }
                checks.print(out());
            }
        }
    }

    @Command(scope = "tianshu", name = "plane-delete", description = "Removes a business plane from the network, releasing its paths and prefixes")
    @Service
    public static class PlaneDeleteCommand extends TianshuAction {
        @Reference(optional = true)
        PlaneAdminService admin;

        @Argument(index = 0, name = "name", required = true, description = "Plane name")
        String name;

        @Override
        void run() {
            PlaneAdminService a = installed(admin);
            audited("plane-delete", name, () -> a.delete(name, caller()));
            out().println("plane " + name + " deleted");
        }
    }

    @Command(scope = "tianshu", name = "plane-bandwidth", description = "Changes a live plane's guaranteed bandwidth per site pair (re-admitted; a refusal changes nothing)")
    @Service
    public static class PlaneBandwidthCommand extends TianshuAction {
        @Reference(optional = true)
        PlaneAdminService admin;

        @Argument(index = 0, name = "name", required = true, description = "Plane name")
        String name;

        @Argument(index = 1, name = "mbps", required = true, description = "New minimum bandwidth in Mbit/s")
        long mbps;

        @Override
        void run() {
            PlaneAdminService a = installed(admin);
            Plane p = audited("plane-bandwidth", name, () -> a.changeBandwidth(name, mbps, caller()));
            out().println("plane " + name + ": " + p.intent().slo().minBandwidthMbps() + " Mbps per site pair, " + p.state());
        }
    }

    @Command(scope = "tianshu", name = "topology", description = "The backbone: routers with locators, links with capacity, reservation and state")
    @Service
    public static class TopologyCommand extends TianshuAction {
        @Reference(optional = true)
        PathComputationService paths;

        @Reference(optional = true)
        PlaneAdminService admin;

        @Option(name = "--sync", description = "Load the controller's topology first (planes are re-admitted and pushed where paths moved)")
        boolean sync;

        @Override
        void run() {
            Topology t = sync ? audited("topology-sync", "backbone", () -> installed(admin).syncTopology(caller()))
                    : installed(paths).topology();
            ShellTable routers = Tables.of("ROUTER", "ROLE", "CITY", "LOCATOR").emptyTableText("no routers");
            for (Router r : t.routers()) {
                routers.addRow().addContent(r.id(), r.role(), r.city(), r.locator());
            }
            routers.print(out());
            ShellTable links = Tables.of("LINK", "A", "B", "MBPS", "RESERVED", "LATENCY MS", "SRLG", "STATE")
                    .emptyTableText("no links");
            PathComputationService pcs = installed(paths);
            for (Link l : t.links()) {
                links.addRow().addContent(l.id(), l.a(), l.b(), l.capacityMbps(), pcs.reservedMbps(l.id()), l.latencyMicros() / 1000.0,
                        String.join(",", l.srlgs()), l.up() ? "up" : "DOWN");
            }
            links.print(out());
        }
    }

    static void printMigration(java.io.PrintStream out, org.tianshu.api.plane.Migration m) {
        out.println("private network " + m.plan().network() + " -> plane " + m.plan().plane().name()
                + (m.complete() ? ": complete" : ""));
        ShellTable t = Tables.of("SITE", "ATTACHMENT", "ADDRESSES", "OLD IPV6", "OLD IPV4", "CUT OVER", "IPV6", "IPV4");
        for (org.tianshu.api.plane.Migration.Site s : m.sites()) {
            t.addRow().addContent(s.site().name(), s.site().attachment(), s.site().policy(), TianshuAction.dash(s.site().ipv6Prefix()),
                    TianshuAction.dash(s.site().ipv4Prefix()), s.cutOver() ? "yes" : "no", TianshuAction.dash(s.ipv6Prefix()), TianshuAction.dash(s.ipv4Prefix()));
        }
        t.print(out);
    }

    @Command(scope = "tianshu", name = "plane-migrate", description = "Imports a department's private network (YAML or JSON) for migration into a plane; nothing changes in the network")
    @Service
    public static class PlaneMigrateCommand extends TianshuAction {
        @Reference(optional = true)
        PlaneAdminService admin;

        @Argument(index = 0, name = "file", required = true, description = "Private network file (see lab/planes/README.md)")
        @Completion(FileCompleter.class)
        String file;

        @Override
        void run() {
            PlaneAdminService a = installed(admin);
            org.tianshu.api.plane.MigrationPlan plan = a.parseMigration(read(file));
            printMigration(out(), audited("plane-migrate", plan.network(), () -> a.importNetwork(plan, caller())));
        }
    }

    @Command(scope = "tianshu", name = "plane-cutover", description = "Cuts sites of an imported private network over into its plane (the first cut-over needs two)")
    @Service
    public static class PlaneCutoverCommand extends TianshuAction {
        @Reference(optional = true)
        PlaneAdminService admin;

        @Argument(index = 0, name = "network", required = true, description = "Private network name")
        String network;

        @Argument(index = 1, name = "sites", required = true, multiValued = true, description = "Sites to cut over now")
        java.util.List<String> sites;

        @Override
        void run() {
            PlaneAdminService a = installed(admin);
            printMigration(out(), audited("plane-cutover", network + " " + sites, () -> a.cutOver(network, sites, caller())));
        }
    }

    @Command(scope = "tianshu", name = "plane-migration", description = "An imported private network and how far its cut-over got")
    @Service
    public static class PlaneMigrationCommand extends TianshuAction {
        @Reference(optional = true)
        PlaneAdminService admin;

        @Argument(index = 0, name = "network", required = true, description = "Private network name")
        String network;

        @Override
        void run() {
            printMigration(out(), installed(admin).migration(network, caller()));
        }
    }
}
