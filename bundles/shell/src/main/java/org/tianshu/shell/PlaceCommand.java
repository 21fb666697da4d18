package org.tianshu.shell;

import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.scheduling.CloudVerdict;
import org.tianshu.api.scheduling.HostVerdict;
import org.tianshu.api.scheduling.MemberPlacement;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.Preferences;
import org.tianshu.api.scheduling.SchedulerService;

/**
 * Asks the scheduler where a request would go, without reserving anything, and shows why: the
 * decision, then per cloud (and per host with {@code --hosts}) the constraint that rejected it or its score.
 */
@Command(scope = "tianshu", name = "place", description = "Dry-run placement across clouds, with the explanation")
@Service
public class PlaceCommand extends TianshuAction {
    /** Optional so that the other commands work in a runtime without the scheduler feature. */
    @Reference(optional = true)
    SchedulerService scheduler;

    @Option(name = "--department", required = true, description = "Department that asks")
    @Completion(Completers.DepartmentIds.class)
    String department;

    @Option(name = "--cpu", required = true, description = "CPU per member: 500m, 2, 0.5")
    String cpu;

    @Option(name = "--memory", required = true, description = "Memory per member: 512Mi, 4Gi")
    String memory;

    @Option(name = "--disk", description = "Disk per member: 20Gi")
    String disk;

    @Option(name = "--gpus", description = "GPUs per member")
    String gpus;

    @Option(name = "--count", description = "Members, placed all or none (default 1)")
    String count;

    @Option(name = "--cloud", multiValued = true, description = "Allowed clouds (repeat; default any)")
    @Completion(Completers.CloudIds.class)
    List<String> clouds;

    @Option(name = "--min-zone", description = "Lowest MLPS level of the cloud's security zone, 1-4 (default 1)")
    String minZone;

    @Option(name = "--xinchuang", description = "Only domestic (信创) clouds")
    boolean xinchuang;

    @Option(name = "--city", description = "Data residency: clouds of this city only (default: the whole province)")
    String city;

    @Option(name = "--gpu-type", description = "GPU model the host must report")
    String gpuType;

    @Option(name = "--spread", description = "HA group: every member in a different availability zone")
    boolean spread;

    @Option(name = "--hosts", description = "Explain every host too")
    boolean hosts;

    @Override
    void run() {
        if (scheduler == null) {
            throw TianshuException.conflict(null, "the scheduler is not installed (feature tianshu-scheduler)");
        }
        Resources demand = new Resources(Units.cpuMillis("cpu", cpu), Units.mebibytes("memory", memory),
                disk == null ? 0 : Units.gibibytes("disk", disk), gpus == null ? 0 : Units.count("gpus", gpus));
        int members = count == null ? 1 : Math.toIntExact(Units.count("count", count));
        int zone = minZone == null ? 1 : Math.toIntExact(Units.count("min-zone", minZone));
        PlacementConstraints constraints = new PlacementConstraints(clouds == null ? Set.of() : Set.copyOf(clouds), zone,
                xinchuang, city, Set.of(), null, null, spread, gpuType);
        Placement p = scheduler.place(new PlacementRequest(department, demand, members, constraints, Preferences.PACK, hosts),
                true, caller());
        print(p);
    }

    private void print(Placement p) {
        out().println(p.outcome() + ": " + p.explanation().summary());
        if (!p.decision().isEmpty()) {
            ShellTable decision = Tables.of("MEMBER", "CLOUD", "HOST", "ZONE");
            for (MemberPlacement m : p.decision()) {
                decision.addRow().addContent(m.member(), m.cloudId(), dash(m.host()), dash(m.zone()));
            }
            decision.print(out());
        }
        ShellTable verdicts = Tables.of("CLOUD", "VERDICT", "SCORE", "MEMBERS", "REASON")
                .emptyTableText("no clouds onboarded");
        for (CloudVerdict v : p.explanation().clouds()) {
            verdicts.addRow().addContent(v.cloudId(), v.rejectedBy() == null ? "fits" : "rejected: " + v.rejectedBy(),
                    v.rejectedBy() == null ? String.format("%.3f", v.score()) : "-", v.members(), dash(v.reason()));
        }
        verdicts.print(out());
        if (hosts) {
            ShellTable table = Tables.of("CLOUD", "HOST", "VERDICT", "SCORE", "REASON").emptyTableText("no hosts");
            for (HostVerdict v : p.explanation().hosts()) {
                table.addRow().addContent(v.cloudId(), v.host(), v.rejectedBy() == null ? "fits" : "rejected: " + v.rejectedBy(),
                        v.rejectedBy() == null ? String.format("%.3f", v.score()) : "-", dash(v.reason()));
            }
            table.print(out());
        }
    }
}
