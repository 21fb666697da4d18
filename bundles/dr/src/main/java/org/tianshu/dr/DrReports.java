package org.tianshu.dr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.DrStep;
import org.tianshu.api.dr.RecoveryReport;
import org.tianshu.api.dr.StepKind;

/** Evidence of a run: measured RTO (per plan and per priority group), achieved RPO, and its HTML and PDF renderings. */
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

    /** The run's facts as label and value, in the order both renderings show them. */
    static List<String[]> summary(RecoveryReport r, String groupName, String protectedCloud, String recoveryCloud) {
        DrRun run = r.run();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Run", run.id()});
        rows.add(new String[] {"Recovery plan", run.planId()});
        rows.add(new String[] {"Protection group", groupName});
        rows.add(new String[] {"Protected cloud", protectedCloud});
        rows.add(new String[] {"Recovery cloud", recoveryCloud});
        rows.add(new String[] {"Requested by", run.requestedBy()});
        rows.add(new String[] {"Outcome", run.state().name() + (run.error() == null ? "" : ": " + run.error())});
        rows.add(new String[] {"Started", String.valueOf(run.startedAt())});
        rows.add(new String[] {"Finished", String.valueOf(run.finishedAt())});
        rows.add(new String[] {"Network", run.network() == null ? "mapped recovery networks" : run.network() + " (isolated)"});
        rows.add(new String[] {"Measured RTO", seconds(r.rto())});
        r.rtoByPriority().forEach((p, d) -> rows.add(new String[] {"RTO of priority group " + p, seconds(d)}));
        rows.add(new String[] {"Recovery point", String.valueOf(run.recoveryPoint())});
        rows.add(new String[] {"Achieved RPO", seconds(r.achievedRpo())});
        rows.add(new String[] {"Time waiting on clouds", seconds(r.cloudWait())});
        return rows;
    }

    /** Column titles of the steps table. */
    static final List<String> STEP_COLUMNS = List.of("#", "step", "workload", "priority", "outcome", "started", "seconds",
            "detail");

    /** One step as the cells of {@link #STEP_COLUMNS}. */
    static String[] stepCells(DrStep s) {
        return new String[] {String.valueOf(s.seq()), s.kind().name().toLowerCase(), s.workload() == null ? "" : s.workload(),
            s.priority() == 0 ? "" : String.valueOf(s.priority()), s.state().name(),
            s.startedAt() == null ? "" : s.startedAt().toString(), s.duration() == null ? "" : seconds(s.duration()),
            s.detail() == null ? "" : s.detail()};
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
        summary(r, groupName, protectedCloud, recoveryCloud).forEach(kv -> row(b, kv[0], kv[1]));
        b.append("</table>\n<h2>Steps</h2>\n<table><tr>");
        STEP_COLUMNS.forEach(c -> b.append("<th>").append(c).append("</th>"));
        b.append("</tr>\n");
        for (DrStep s : run.steps()) {
            b.append("<tr class=\"").append(s.state().name()).append("\">");
            for (String cell : stepCells(s)) {
                b.append("<td>").append(esc(cell)).append("</td>");
            }
            b.append("</tr>\n");
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
