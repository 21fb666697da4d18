package org.tianshu.shell;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.scheduling.Preferences;
import org.tianshu.api.scheduling.Reservation;
import org.tianshu.api.scheduling.SchedulerService;
import org.tianshu.api.scheduling.SchedulingPolicy;

/** Commands on the scheduler's state: departments' scheduling policies and the reservations held. */
final class SchedulingCommands {
    private SchedulingCommands() {
    }

    /** Base of the commands that need the scheduler, which is optional in a runtime. */
    abstract static class SchedulerAction extends TianshuAction {
        @Reference(optional = true)
        SchedulerService scheduler;

        SchedulerService scheduler() {
            if (scheduler == null) {
                throw TianshuException.conflict(null, "the scheduler is not installed (feature tianshu-scheduler)");
            }
            return scheduler;
        }

        void print(SchedulingPolicy p) {
            Preferences w = p.preferences();
            out().println("Department " + p.departmentId() + ": clouds " + (p.allowedClouds().isEmpty() ? "any"
                    : String.join(", ", new TreeSet<>(p.allowedClouds()))) + "; weights pack " + w.pack() + ", spread "
                    + w.spread() + ", cost " + w.cost() + ", energy " + w.energy() + ", latency " + w.latency());
        }
    }

    @Command(scope = "tianshu", name = "scheduling-policy", description = "Shows a department's scheduling policy")
    @Service
    public static class PolicyShowCommand extends SchedulerAction {
        @Argument(index = 0, name = "department", required = true, description = "Department")
        @Completion(Completers.DepartmentIds.class)
        String department;

        @Override
        void run() {
            print(scheduler().policy(department, caller()));
        }
    }

    @Command(scope = "tianshu", name = "scheduling-policy-set",
            description = "Sets a department's allowed clouds and the default weights of its placements")
    @Service
    public static class PolicySetCommand extends SchedulerAction {
        @Argument(index = 0, name = "department", required = true, description = "Department")
        @Completion(Completers.DepartmentIds.class)
        String department;
        @Option(name = "--cloud", multiValued = true, description = "An allowed cloud (repeat; none: any cloud)")
        @Completion(Completers.CloudIds.class)
        List<String> clouds;
        @Option(name = "--pack", description = "Weight of filling hosts in use (default 1 when no weight is given)")
        double pack;
        @Option(name = "--spread", description = "Weight of the least loaded host")
        double spread;
        @Option(name = "--cost", description = "Weight of cost")
        double cost;
        @Option(name = "--energy", description = "Weight of energy efficiency")
        double energy;
        @Option(name = "--latency", description = "Weight of latency from the department's site")
        double latency;

        @Override
        void run() {
            Preferences w = pack == 0 && spread == 0 && cost == 0 && energy == 0 && latency == 0 ? Preferences.PACK
                    : new Preferences(pack, spread, cost, energy, latency);
            Caller who = caller();
            SchedulingPolicy set = audited("scheduling-policy.set", "department/" + department + "/scheduling-policy",
                    () -> scheduler().setPolicy(new SchedulingPolicy(department, clouds == null ? Set.of() : Set.copyOf(clouds),
                            w), who));
            print(set);
        }
    }

    @Command(scope = "tianshu", name = "reservation-list", description = "Lists the capacity the scheduler holds")
    @Service
    public static class ReservationListCommand extends SchedulerAction {
        @Option(name = "--department", description = "Only this department")
        @Completion(Completers.DepartmentIds.class)
        String department;

        @Override
        void run() {
            ShellTable table = Tables.of("ID", "DEPARTMENT", "KIND", "STATE", "HOSTS", "CPU", "MEMORY", "GROUPS",
                    "CREATED")
                    .emptyTableText("No reservations");
            for (Reservation r : scheduler().reservations(department, caller())) {
                Resources sum = Resources.ZERO;
                for (Map.Entry<String, Resources> e : r.hosts().entrySet()) {
                    sum = sum.plus(e.getValue());
                }
                String groups = (r.affinityGroup() == null ? "" : "affinity " + r.affinityGroup() + " ")
                        + (r.antiAffinityGroup() == null ? "" : "anti-affinity " + r.antiAffinityGroup());
                table.addRow().addContent(r.id(), r.departmentId(), r.hold() ? "hold" : "placement",
                        r.settled() ? "settled" : "held", String.join(" ", new TreeSet<>(r.hosts().keySet())),
                        InventoryCommands.cores(sum.cpuMillis()), InventoryCommands.mib(sum.memoryMiB()),
                        groups.isBlank() ? "-" : groups.trim(), r.createdAt());
            }
            table.print(out());
        }
    }

    @Command(scope = "tianshu", name = "reservation-release",
            description = "Gives back a reservation's capacity, group membership and quota")
    @Service
    public static class ReservationReleaseCommand extends SchedulerAction {
        @Argument(index = 0, name = "id", required = true, description = "Reservation id (see reservation-list)")
        String id;

        @Override
        void run() {
            Caller who = caller();
            audited("reservation.release", "reservation/" + id, () -> scheduler().release(id, who));
            out().println("Released " + id);
        }
    }
}
