package org.tianshu.shell;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.dr.DrAdminService;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.DrService;
import org.tianshu.api.dr.DrStep;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryReport;
import org.tianshu.api.dr.ReplicationStatus;
import org.tianshu.api.dr.RunState;
import org.tianshu.api.dr.ScheduledDrill;
import org.tianshu.api.dr.StepState;

/** {@code tianshu:dr-*}: protection groups, running recovery plans with live progress, reports. */
final class DrCommands {
    private DrCommands() {
    }

    /** Longest single wait between progress checks. */
    static Duration step = Duration.ofSeconds(1);

    /**
     * Prints every step of {@code run} as it starts and ends until the run settles or {@code timeout} passes;
     * returns the latest record.
     */
    static DrRun follow(DrService dr, DrRun run, Caller caller, Duration timeout, PrintStream out) {
        Instant deadline = Instant.now().plus(timeout);
        Map<Integer, StepState> shown = new HashMap<>();
        while (true) {
            for (DrStep s : run.steps()) {
                if (s.state() != StepState.PENDING && shown.put(s.seq(), s.state()) != s.state()) {
                    out.println(String.format(Locale.ROOT, "  [%7.1fs] %3d %-12s %-20s %s%s", seconds(run.startedAt(),
                            s.finishedAt() != null ? s.finishedAt() : s.startedAt()), s.seq(),
                            s.kind().name().toLowerCase(Locale.ROOT), (s.workload() == null ? "" : s.workload())
                            + (s.priority() == 0 ? "" : " (p" + s.priority() + ")"), s.state(),
                            s.detail() == null || s.state() == StepState.RUNNING ? "" : ": " + s.detail()));
                }
            }
            if (run.state().settled()) {
                out.println(run.operation().name().toLowerCase(Locale.ROOT) + " " + run.id() + " " + run.state()
                        + (run.error() == null ? "" : ": " + run.error()));
                return run;
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                out.println("Still RUNNING after " + timeout.toSeconds() + "s; follow it with tianshu:dr-status " + run.id());
                return run;
            }
            run = dr.await(run.id(), left.compareTo(step) < 0 ? left : step, caller);
        }
    }

    private static double seconds(Instant from, Instant to) {
        return to == null ? 0 : Duration.between(from, to).toNanos() / 1e9;
    }

    @Command(scope = "tianshu", name = "dr-groups", description = "Lists protection groups with their measured RPO")
    @Service
    public static class GroupsCommand extends TianshuAction {
        @Reference
        DrService dr;

        @Override
        void run() {
            Caller who = caller();
            ShellTable table = Tables.of("ID", "DEPARTMENT", "PROTECTED", "RECOVERY", "STATE", "WORKLOADS",
                    "RPO (s)", "TARGET (s)", "EXCEEDED")
                    .emptyTableText("No protection groups");
            for (ProtectionGroup g : dr.groups(who)) {
                ReplicationStatus r = dr.replication(g.id(), who);
                table.addRow().addContent(g.id(), g.departmentId(), g.protectedCloudId(), g.recoveryCloudId(), g.state(),
                        g.workloads().size(), r.rpoSeconds() < 0 ? "no copy" : r.rpoSeconds(), r.rpoTargetSeconds(),
                        r.exceeded() ? "YES" : "no");
            }
            table.print(out());
        }
    }

    @Command(scope = "tianshu", name = "dr-run",
            description = "Runs a recovery plan (drill, cleanup, planned_migration, failover, reprotect, failback) and shows its progress")
    @Service
    public static class RunCommand extends TianshuAction {
        @Reference
        DrService dr;
        @Reference
        DrAdminService drAdmin;

        @Argument(index = 0, name = "plan", required = true, description = "Recovery plan id")
        String plan;
        @Argument(index = 1, name = "operation", required = true,
                description = "drill, cleanup, planned_migration, failover, reprotect or failback")
        String operation;
        @Option(name = "--confirm", description = "Confirms a failover (it changes production)")
        boolean confirm;
        @Option(name = "--no-wait", description = "Return once the run has started")
        boolean noWait;
        @Option(name = "--timeout", description = "Seconds to follow the run")
        int timeoutSeconds = 3600;

        @Override
        void run() {
            DrOperation op;
            try {
                op = DrOperation.valueOf(operation.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw TianshuException.invalid("operation", "operation must be one of drill, cleanup, planned_migration,"
                        + " failover, reprotect, failback; got '" + operation + "'");
            }
            Caller who = caller();
            DrRun run = audited("dr.run.start", "dr-plan/" + plan + "/" + op.name().toLowerCase(Locale.ROOT),
                    () -> drAdmin.start(plan, op, confirm, who));
            out().println("Run " + run.id() + ": " + op.name().toLowerCase(Locale.ROOT) + " of plan " + plan + ", "
                    + run.steps().size() + " steps");
            if (!noWait) {
                DrRun last = follow(dr, run, who, Duration.ofSeconds(timeoutSeconds), out());
                if (last.state() == RunState.FAILED) {
                    throw TianshuException.conflict(null, "run " + last.id() + " failed: " + last.error());
                }
            }
        }
    }

    @Command(scope = "tianshu", name = "dr-status", description = "Shows the live progress of a run until it settles")
    @Service
    public static class StatusCommand extends TianshuAction {
        @Reference
        DrService dr;

        @Argument(index = 0, name = "run", required = true, description = "Run id")
        String run;
        @Option(name = "--timeout", description = "Seconds to follow the run")
        int timeoutSeconds = 3600;

        @Override
        void run() {
            Caller who = caller();
            follow(dr, dr.run(run, who), who, Duration.ofSeconds(timeoutSeconds), out());
        }
    }

    @Command(scope = "tianshu", name = "dr-cleanup", description = "Cleans up a drill that awaits its cleanup")
    @Service
    public static class CleanupCommand extends TianshuAction {
        @Reference
        DrService dr;
        @Reference
        DrAdminService drAdmin;

        @Argument(index = 0, name = "run", required = true, description = "Drill run id")
        String run;

        @Override
        void run() {
            Caller who = caller();
            DrRun cleanup = audited("dr.run.cleanup", "dr-run/" + run, () -> drAdmin.cleanup(run, who));
            follow(dr, cleanup, who, Duration.ofHours(1), out());
        }
    }

    @Command(scope = "tianshu", name = "dr-schedules", description = "Scheduled drills: their next runs and the drills they started")
    @Service
    public static class SchedulesCommand extends TianshuAction {
        @Reference
        DrService dr;

        @Option(name = "--next", description = "How many next runs to show per plan (at most 5)")
        int next = 3;

        @Override
        void run() {
            Caller who = caller();
            ShellTable table = Tables.of("PLAN", "SCHEDULE", "NEXT RUNS", "DRILLS", "LAST DRILL", "LAST STATE")
                    .emptyTableText("No scheduled drills");
            for (ScheduledDrill d : dr.scheduledDrills(who)) {
                DrRun last = d.history().isEmpty() ? null : d.history().get(0);
                table.addRow().addContent(d.planId(), d.schedule(), String.join(" ", d.nextRuns().stream()
                        .limit(Math.max(1, next)).map(Instant::toString).toList()), d.history().size(),
                        last == null ? "" : last.id() + " " + last.startedAt(), last == null ? "" : last.state());
            }
            table.print(out());
        }
    }

    @Command(scope = "tianshu", name = "dr-report", description = "Measured RTO and achieved RPO of a run; --html and --pdf write the auditors' report")
    @Service
    public static class ReportCommand extends TianshuAction {
        @Reference
        DrService dr;

        @Argument(index = 0, name = "run", required = true, description = "Run id")
        String run;
        @Option(name = "--html", description = "Also write the HTML report to this file")
        String html;
        @Option(name = "--pdf", description = "Also write the PDF report to this file")
        String pdf;

        @Override
        void run() throws Exception {
            Caller who = caller();
            RecoveryReport r = dr.report(run, who);
            out().println(r.run().operation().name().toLowerCase(Locale.ROOT) + " " + r.run().id() + " of plan "
                    + r.run().planId() + ": " + r.run().state());
            out().println("  measured RTO: " + format(r.rto()));
            r.rtoByPriority().forEach((p, d) -> out().println("  priority group " + p + " up after " + format(d)));
            out().println("  achieved RPO: " + format(r.achievedRpo()));
            if (html != null) {
                Files.writeString(Path.of(html), dr.reportHtml(run, who), StandardCharsets.UTF_8);
                out().println("  report written to " + html);
            }
            if (pdf != null) {
                Files.write(Path.of(pdf), dr.reportPdf(run, who));
                out().println("  PDF report written to " + pdf);
            }
        }

        private static String format(Duration d) {
            return d == null ? "n/a" : String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
        }
    }
}
