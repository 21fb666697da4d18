package org.tianshu.shell;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.TianshuException;
import org.tianshu.api.scheduling.ShowbackReport;
import org.tianshu.api.scheduling.ShowbackService;

/** Usage per department over a period, priced from the rate table, as a table or CSV. */
@Command(scope = "tianshu", name = "showback", description = "Priced usage per department and cloud over a period")
@Service
public class ShowbackCommand extends TianshuAction {
    @Reference(optional = true)
    ShowbackService showback;

    @Option(name = "--from", description = "Start, ISO-8601 instant (default: 30 days ago)")
    String from;
    @Option(name = "--to", description = "End, ISO-8601 instant (default: now)")
    String to;
    @Option(name = "--department", description = "Only this department")
    @Completion(Completers.DepartmentIds.class)
    String department;
    @Option(name = "--csv", description = "Print CSV instead of a table")
    boolean csv;

    @Override
    void run() {
        if (showback == null) {
            throw TianshuException.conflict(null, "the scheduler is not installed (feature tianshu-scheduler)");
        }
        Instant end = to == null ? Instant.now() : instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofDays(30)) : instant("from", from);
        ShowbackReport r = showback.report(start, end, department, caller());
        if (csv) {
            out().print(r.toCsv());
            return;
        }
        out().println("Usage from " + r.from() + " to " + r.to() + ", in " + r.currency());
        ShellTable t = Tables.of("DEPARTMENT", "CLOUD", "VCPU-H", "MEM GIB-H", "GPU-H", "DISK GIB-H", "COST")
                .emptyTableText("no usage in the period");
        for (ShowbackReport.Line l : r.lines()) {
            t.addRow().addContent(l.departmentId(), l.cloudId(), round(l.vcpuHours()), round(l.memoryGibHours()),
                    round(l.gpuHours()), round(l.storageGibHours()), String.format("%.2f", l.cost()));
        }
        t.print(out());
    }

    private static String round(double v) {
        return String.format("%.1f", v);
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw TianshuException.invalid(field, field + " must be an ISO-8601 instant like 2026-11-01T00:00:00Z, got '" + value + "'");
        }
    }
}
