package org.tianshu.dr;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.DrStep;
import org.tianshu.api.dr.RecoveryReport;
import org.tianshu.api.dr.StepKind;

/** Evidence of a run: measured RTO (per plan and per priority group), achieved RPO, and an HTML rendering. */
final class DrReports {
    private DrReports() {
    }

    /** The report of {@code run}; {@code cloudWait} as measured by the process that drove it, or null. */
    static RecoveryReport report(DrRun run, Duration cloudWait) {
        Instant end = null;
        Map<Integer, Duration> byPriority = new TreeMap<>();
        for (DrStep s : run.steps()) {
            boolean recovery = s.kind() == StepKind.BRING_UP || s.kind() == StepKind.GROUP_UP
                    || s.kind() == StepKind.CHECK;
            if (recovery && s.finishedAt() != null && (end == null || s.finishedAt().isAfter(end))) {
                end = s.finishedAt();
            }
            if (s.kind() == StepKind.GROUP_UP && s.finishedAt() != null) {
                byPriority.put(s.priority(), Duration.between(run.startedAt(), s.finishedAt()));
            }
        }
        Duration rto = end == null ? null : Duration.between(run.startedAt(), end);
        Duration rpo = run.recoveryPoint() == null ? null
                : max0(Duration.between(run.recoveryPoint(), run.startedAt()));
        return new RecoveryReport(run, rto, byPriority, rpo, cloudWait);
    }

    private static Duration max0(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** A self-contained HTML page a DR team can hand to auditors. */
    static String html(RecoveryReport r, String groupName, String protectedCloud, String recoveryCloud) {
        DrRun run = r.run();
        StringBuilder b = new StringBuilder(4096 + run.steps().size() * 200);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>DR ")
                .append(esc(run.operation().name().toLowerCase())).append(" report ").append(esc(run.id()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #999;padding:2px 6px;text-align:left}.FAILED{background:#fdd}"
                        + ".SKIPPED{background:#eee}</style></head><body>\n");
        b.append("<h1>Disaster recovery report: ").append(esc(run.operation().name())).append("</h1>\n<table>\n");
        row(b, "Run", run.id());
        row(b, "Recovery plan", run.planId());
        row(b, "Protection group", groupName);
        row(b, "Protected cloud", protectedCloud);
        row(b, "Recovery cloud", recoveryCloud);
        row(b, "Requested by", run.requestedBy());
        row(b, "Outcome", run.state().name() + (run.error() == null ? "" : ": " + run.error()));
        row(b, "Started", String.valueOf(run.startedAt()));
        row(b, "Finished", String.valueOf(run.finishedAt()));
        row(b, "Network", run.network() == null ? "mapped recovery networks" : run.network() + " (isolated)");
        row(b, "Measured RTO", seconds(r.rto()));
        r.rtoByPriority().forEach((p, d) -> row(b, "RTO of priority group " + p, seconds(d)));
        row(b, "Recovery point", String.valueOf(run.recoveryPoint()));
        row(b, "Achieved RPO", seconds(r.achievedRpo()));
        row(b, "Time waiting on clouds", seconds(r.cloudWait()));
        b.append("</table>\n<h2>Steps</h2>\n<table><tr><th>#</th><th>step</th><th>workload</th><th>priority</th>"
                + "<th>outcome</th><th>started</th><th>seconds</th><th>detail</th></tr>\n");
        for (DrStep s : run.steps()) {
            b.append("<tr class=\"").append(s.state().name()).append("\"><td>").append(s.seq()).append("</td><td>")
                    .append(s.kind().name().toLowerCase()).append("</td><td>").append(esc(s.workload())).append("</td><td>")
                    .append(s.priority() == 0 ? "" : s.priority()).append("</td><td>").append(s.state().name())
                    .append("</td><td>").append(s.startedAt() == null ? "" : s.startedAt()).append("</td><td>")
                    .append(s.duration() == null ? "" : seconds(s.duration())).append("</td><td>").append(esc(s.detail()))
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    static String seconds(Duration d) {
        return d == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
