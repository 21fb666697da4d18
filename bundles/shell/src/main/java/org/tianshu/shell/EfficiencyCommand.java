package org.tianshu.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.TianshuException;
import org.tianshu.api.scheduling.Efficiency;
import org.tianshu.api.scheduling.Efficiency.HostLine;
import org.tianshu.api.scheduling.Efficiency.Line;
import org.tianshu.api.scheduling.Efficiency.WorkloadLine;
import org.tianshu.api.scheduling.EfficiencyService;

/**
 * How well capacity is used: per cloud and department allocation against capacity, measured use, overloaded
 * and empty hosts, idle workloads and fragmentation; with {@code --hosts} and {@code --workloads} the detail.
 */
@Command(scope = "tianshu", name = "efficiency", description = "Allocation, use, overload, idleness and fragmentation")
@Service
public class EfficiencyCommand extends TianshuAction {
    @Reference(optional = true)
    EfficiencyService efficiency;

    @Option(name = "--hosts", description = "Every host too")
    boolean hosts;

    @Option(name = "--workloads", description = "Every workload too")
    boolean workloads;

    @Override
    void run() {
        if (efficiency == null) {
            throw TianshuException.conflict(null, "the scheduler is not installed (feature tianshu-scheduler)");
        }
        Efficiency e = efficiency.evaluate(caller());
        out().println("Efficiency at " + e.at());
        lines("CLOUD", e.clouds());
        lines("DEPARTMENT", e.departments());
        if (hosts) {
            ShellTable t = Tables.of("CLOUD", "HOST", "CPU ALLOC", "MEM ALLOC", "CPU USE", "OVERLOADED", "FRAGMENTED")
                    .emptyTableText("no hosts");
            for (HostLine h : e.hosts()) {
                t.addRow().addContent(h.cloudId(), h.host(), pct(h.cpuAllocation()), pct(h.memoryAllocation()), pct(h.cpuUse()),
                        h.overloaded() ? "yes" : "no", pct(h.fragmentation()));
            }
            t.print(out());
        }
        if (workloads) {
            ShellTable t = Tables.of("CLOUD", "WORKLOAD", "DEPARTMENT", "HOST", "CPU", "CPU USE", "LOW FOR", "IDLE")
                    .emptyTableText("no workloads");
            for (WorkloadLine w : e.workloads()) {
                t.addRow().addContent(w.cloudId(), w.name(), dash(w.departmentId()), dash(w.host()),
                        InventoryCommands.cores(w.allocated().cpuMillis()), pct(w.cpuUse()),
                        w.lowSince() == null ? "-" : w.lowFor(e.at()).toHours() + "h", w.idle() ? "yes" : "no");
            }
            t.print(out());
        }
    }

    private void lines(String kind, java.util.List<Line> lines) {
        ShellTable t = Tables.of(kind, "CPU ALLOC", "MEM ALLOC", "CPU USE", "HOSTS", "OVERLOADED", "EMPTY", "IDLE",
                "FRAGMENTED")
                .emptyTableText("no " + kind.toLowerCase() + " lines");
        for (Line l : lines) {
            t.addRow().addContent(l.id(), pct(l.cpuAllocation()), pct(l.memoryAllocation()), pct(l.cpuUse()), l.hosts(),
                    l.overloadedHosts(), l.emptyHosts(), l.idleWorkloads(), pct(l.fragmentation()));
        }
        t.print(out());
    }

    private static String pct(Double v) {
        return v == null ? "-" : Math.round(v * 1000) / 10.0 + "%";
    }
}
