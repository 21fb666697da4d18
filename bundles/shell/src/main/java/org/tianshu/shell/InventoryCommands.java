package org.tianshu.shell;

import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.CapacitySummary;
import org.tianshu.api.cloud.Drift;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.cloud.Workload;

/** Commands on the inventory: hosts, workloads, capacity, drift. */
final class InventoryCommands {
    private InventoryCommands() {
    }

    /** {@code 2.5} cores from millicores. */
    static String cores(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format("%.1f", millis / 1000.0);
    }

    /** {@code 2Gi}/{@code 512Mi} from MiB. */
    static String mib(long mib) {
        return mib >= 1024 && mib % 1024 == 0 ? mib / 1024 + "Gi" : mib + "Mi";
    }

    static String used(long allocated, long capacity, String text) {
        return text + (capacity > 0 ? String.format(" (%d%%)", Math.round(100.0 * allocated / capacity)) : "");
    }

    static void workloadTable(List<Workload> workloads, java.io.PrintStream out, String empty) {
        ShellTable table = Tables.of("CLOUD", "NAME", "KIND", "DEPARTMENT", "STATE", "HOST", "CPU", "MEMORY", "GPUS",
                "EXTERNAL ID", "REQUEST")
                .emptyTableText(empty);
        for (Workload w : workloads) {
            Resources r = w.resources() == null ? Resources.ZERO : w.resources();
            table.addRow().addContent(w.cloudId(), w.name(), w.kind().id(), dash(w.departmentId()), w.state(),
                    dash(w.host()), cores(r.cpuMillis()), mib(r.memoryMiB()), r.gpus(), w.externalId(),
                    dash(w.requestId()));
        }
        table.print(out);
    }

    static Object dash(Object value) {
        return TianshuAction.dash(value);
    }

    @Command(scope = "tianshu", name = "inventory", description = "Lists hosts or workloads across clouds")
    @Service
    public static class InventoryCommand extends TianshuAction {
        @Reference
        InventoryService inventory;

        @Argument(index = 0, name = "what", required = true, description = "hosts or workloads")
        @Completion(value = StringsCompleter.class, values = {"hosts", "workloads"})
        String what;
        @Option(name = "--cloud", description = "Only this cloud")
        @Completion(Completers.CloudIds.class)
        String cloud;
        @Option(name = "--department", description = "Only this department (workloads)")
        @Completion(Completers.DepartmentIds.class)
        String department;

        @Override
        void run() {
            Caller who = caller();
            switch (what) {
                case "hosts" -> hosts(who);
                case "workloads" -> workloads(who);
                default -> throw TianshuException.invalid("what", "what must be hosts or workloads; got '" + what
                        + "'");
            }
        }

        private void hosts(Caller who) {
            who.checkOperator();
            ShellTable table = Tables.of("CLOUD", "HOST", "ZONE", "UP", "CPU (cores)", "MEMORY", "DISK (GiB)",
                    "GPUS", "GPU TYPE")
                    .emptyTableText("No hosts");
            for (Host h : inventory.hosts(cloud)) {
                Resources cap = h.capacity();
                Resources al = h.allocated();
                table.addRow().addContent(h.cloudId(), h.name(), dash(h.zone()), h.up() ? "yes" : "no",
                        used(al.cpuMillis(), cap.cpuMillis(), cores(al.cpuMillis()) + "/" + cores(cap.cpuMillis())),
                        used(al.memoryMiB(), cap.memoryMiB(), mib(al.memoryMiB()) + "/" + mib(cap.memoryMiB())),
                        al.diskGiB() + "/" + cap.diskGiB(), al.gpus() + "/" + cap.gpus(), dash(h.gpuType()));
            }
            table.print(out());
        }

        private void workloads(Caller who) {
            if (department != null) {
                who.checkAccess(department);
            }
            // the inventory knows no caller: keep only what this caller may see
            List<Workload> visible = inventory.workloads(cloud, department).stream()
                    .filter(w -> who.isOperator() || w.departmentId() != null && who.canAccess(w.departmentId()))
                    .toList();
            workloadTable(visible, out(), "No workloads");
        }
    }

    @Command(scope = "tianshu", name = "capacity", description = "Shows capacity and allocation per cloud")
    @Service
    public static class CapacityCommand extends TianshuAction {
        @Reference
        InventoryService inventory;

        @Override
        void run() {
            ShellTable table = Tables.of("CLOUD", "HOSTS", "CPU (cores)", "MEMORY", "DISK (GiB)", "GPUS", "WORKLOADS")
                    .emptyTableText("No clouds");
            for (CapacitySummary s : inventory.capacity()) {
                Resources cap = s.capacity();
                Resources al = s.allocated();
                table.addRow().addContent(s.cloudId(), s.hosts(),
                        used(al.cpuMillis(), cap.cpuMillis(), cores(al.cpuMillis()) + "/" + cores(cap.cpuMillis())),
                        used(al.memoryMiB(), cap.memoryMiB(), mib(al.memoryMiB()) + "/" + mib(cap.memoryMiB())),
                        used(al.diskGiB(), cap.diskGiB(), al.diskGiB() + "/" + cap.diskGiB()),
                        al.gpus() + "/" + cap.gpus(), s.workloads());
            }
            table.print(out());
        }
    }

    @Command(scope = "tianshu", name = "drift", description = "Shows what a cloud has that Tianshu did not provision, and the reverse")
    @Service
    public static class DriftCommand extends TianshuAction {
        @Reference
        InventoryService inventory;

        @Argument(index = 0, name = "cloud", required = true, description = "Cloud id")
        @Completion(Completers.CloudIds.class)
        String cloud;

        @Override
        void run() {
            caller().checkOperator();
            Drift d = inventory.drift(cloud);
            out().println("Unmanaged in " + cloud + " (not provisioned by Tianshu): " + d.unmanaged().size());
            workloadTable(d.unmanaged(), out(), "none");
            out().println("Missing from " + cloud + " (provisioned by Tianshu, gone from the cloud): "
                    + d.missing().size());
            workloadTable(d.missing(), out(), "none");
        }
    }
}
