package org.tianshu.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.scheduling.Move;
import org.tianshu.api.scheduling.RebalancePlan;
import org.tianshu.api.scheduling.RebalanceService;

/** Rebalancing: propose a plan of moves, approve it, execute it, and follow it. */
final class RebalanceCommands {
    private RebalanceCommands() {
    }

    /** Base of the commands, printing a plan and its moves. */
    abstract static class RebalanceAction extends TianshuAction {
        @Reference(optional = true)
        RebalanceService rebalance;

        RebalanceService rebalance() {
            if (rebalance == null) {
                throw TianshuException.conflict(null, "the scheduler is not installed (feature tianshu-scheduler)");
            }
            return rebalance;
        }

        void print(RebalancePlan p) {
            out().println("Plan " + p.id() + " " + p.state() + ": " + p.summary());
            if (!p.relieved().isEmpty()) {
                out().println("  relieves " + String.join(", ", p.relieved()));
            }
            if (!p.freed().isEmpty()) {
                out().println("  frees " + String.join(", ", p.freed()));
            }
            ShellTable t = Tables.of("#", "CLOUD", "WORKLOAD", "FROM", "TO", "CPU", "MEMORY", "STATE", "WHY")
                    .emptyTableText("no moves");
            for (Move m : p.moves()) {
                t.addRow().addContent(m.index(), m.cloudId(), m.workload(), m.fromHost(), m.toHost(),
                        InventoryCommands.cores(m.resources().cpuMillis()), InventoryCommands.mib(m.resources().memoryMiB()),
                        m.state(), m.error() == null ? m.reason() : m.error());
            }
            t.print(out());
        }
    }

    @Command(scope = "tianshu", name = "rebalance-plan",
            description = "Proposes moves that relieve overloaded hosts and free hosts, within every hard constraint")
    @Service
    public static class PlanCommand extends RebalanceAction {
        @Option(name = "--cloud", description = "Only this cloud (default: every cloud)")
        @Completion(Completers.CloudIds.class)
        String cloud;

        @Override
        void run() {
            Caller who = caller();
            print(audited("rebalance.propose", "rebalance/" + (cloud == null ? "*" : cloud), () -> rebalance().propose(cloud, who)));
        }
    }

    @Command(scope = "tianshu", name = "rebalance-approve", description = "Approves a proposed rebalancing plan")
    @Service
    public static class ApproveCommand extends RebalanceAction {
        @Argument(index = 0, name = "id", required = true, description = "Plan id")
        String id;

        @Override
        void run() {
            Caller who = caller();
            print(audited("rebalance.approve", "rebalance/" + id, () -> rebalance().approve(id, who)));
        }
    }

    @Command(scope = "tianshu", name = "rebalance-execute", description = "Starts executing an approved rebalancing plan")
    @Service
    public static class ExecuteCommand extends RebalanceAction {
        @Argument(index = 0, name = "id", required = true, description = "Plan id")
        String id;

        @Override
        void run() {
            Caller who = caller();
            print(audited("rebalance.execute", "rebalance/" + id, () -> rebalance().execute(id, who)));
            out().println("Follow it with tianshu:rebalance-status " + id);
        }
    }

    @Command(scope = "tianshu", name = "rebalance-status", description = "Shows a rebalancing plan, or lists them")
    @Service
    public static class StatusCommand extends RebalanceAction {
        @Argument(index = 0, name = "id", description = "Plan id (default: list every plan)")
        String id;

        @Override
        void run() {
            if (id != null) {
                print(rebalance().get(id, caller()));
                return;
            }
            ShellTable t = Tables.of("ID", "CLOUD", "STATE", "MOVES", "PROPOSED BY", "APPROVED BY", "CREATED",
                    "SUMMARY")
                    .emptyTableText("No rebalancing plans");
            for (RebalancePlan p : rebalance().list(caller())) {
                t.addRow().addContent(p.id(), dash(p.cloudId()), p.state(), p.moves().size(), p.proposedBy(), dash(p.approvedBy()),
                        p.createdAt(), p.summary());
            }
            t.print(out());
        }
    }
}
