package org.tianshu.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.Preferences;
import org.tianshu.api.scheduling.Usage;
import org.tianshu.testing.TestPlatform;

/** The scheduling commands against the real scheduler and core services (in-memory H2 and clouds). */
class SchedulingCommandsTest {
    private static final Caller OPS = new Caller("ops", Set.of(Caller.OPERATOR));
    private static final Caller ALICE = new Caller("alice", Set.of("dept-health"));

    private TestPlatform t;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        t = new TestPlatform();
        t.onboard("chengdu-os", CloudKind.OPENSTACK, "Chengdu");
        t.onboard("mianyang-os", CloudKind.OPENSTACK, "Mianyang");
        t.department("health", "省卫生健康委");
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    private <A extends SchedulingCommands.SchedulerAction> A command(A action, Caller caller) {
        action.scheduler = t.scheduler();
        action.audit = t.audit();
        action.caller = caller;
        action.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return action;
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void policyIsSetByOperatorsShownAndUsed() throws Exception {
        SchedulingCommands.PolicySetCommand set = command(new SchedulingCommands.PolicySetCommand(), OPS);
        set.department = "health";
        set.clouds = List.of("mianyang-os");
        set.spread = 1;
        set.cost = 0.5;
        set.execute();
        assertThat(output()).contains("Department health: clouds mianyang-os; weights pack 0.0, spread 1.0, cost 0.5");

        printed.reset();
        SchedulingCommands.PolicyShowCommand show = command(new SchedulingCommands.PolicyShowCommand(), ALICE);
        show.department = "health";
        show.execute();
        assertThat(output()).contains("clouds mianyang-os", "spread 1.0");
        Placement p = t.scheduler().place(PlacementRequest.of("health", new Resources(1000, 1024, 0, 0)), true, ALICE);
        assertThat(p.decision().get(0).cloudId()).isEqualTo("mianyang-os");
        assertThat(t.scheduler().policy("health", ALICE).preferences()).isEqualTo(new Preferences(0, 1, 0.5, 0, 0));

        SchedulingCommands.PolicySetCommand sneaky = command(new SchedulingCommands.PolicySetCommand(), ALICE);
        sneaky.department = "health";
        assertThatThrownBy(sneaky::execute).hasMessageStartingWith("Error (FORBIDDEN");
        set.clouds = List.of("lhasa-os");
        assertThatThrownBy(set::execute).hasMessageStartingWith("Error (INVALID, field allowedClouds)");
        set.clouds = null;
        set.spread = -1;
        assertThatThrownBy(set::execute).hasMessageStartingWith("Error (INVALID, field preferences.spread)");
        assertThat(t.auditTrail()).extracting(e -> e.outcome()).containsExactly("ok", "FORBIDDEN", "INVALID", "INVALID");
    }

    @Test
    void reservationsAreListedAndReleased() throws Exception {
        Placement p = t.scheduler().place(new PlacementRequest("health", new Resources(2000, 4096, 0, 0), 2,
                new org.tianshu.api.scheduling.PlacementConstraints(Set.of(), 1, false, null, Set.of(), null, "web", false, null),
                null, false), false, ALICE);
        SchedulingCommands.ReservationListCommand list = command(new SchedulingCommands.ReservationListCommand(), ALICE);
        list.execute();
        assertThat(output()).contains(p.reservationId(), "placement", "held", "4", "8Gi", "anti-affinity web");

        SchedulingCommands.ReservationReleaseCommand release = command(new SchedulingCommands.ReservationReleaseCommand(), ALICE);
        release.id = p.reservationId();
        release.execute();
        assertThat(t.scheduler().reservations(null, ALICE)).isEmpty();
        assertThatThrownBy(release::execute).hasMessageStartingWith("Error (NOT_FOUND, field reservationId)");

        SchedulingCommands.ReservationListCommand none = command(new SchedulingCommands.ReservationListCommand(), ALICE);
        none.scheduler = null;
        assertThatThrownBy(none::execute).hasMessageContaining("scheduler is not installed");
    }

    @Test
    void efficiencyShowsAllocationUseAndIdleness() throws Exception {
        t.world("chengdu-os").hosts.set(0, new org.tianshu.api.cloud.Host(null, "host-1", "az1",
                new Resources(16000, 65536, 500, 0), new Resources(15000, 8192, 20, 0), null, true));
        t.unmanaged("chengdu-os", "his", "health", new Resources(15000, 8192, 20, 0));
        t.efficiency().addUsageSource(() -> List.of(new Usage("chengdu-os", "host-1", "ext-his", 0.02, java.time.Instant.now())));
        EfficiencyCommand c = new EfficiencyCommand();
        c.efficiency = t.efficiency();
        c.audit = t.audit();
        c.caller = OPS;
        c.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        c.hosts = true;
        c.workloads = true;
        c.execute();
        // host-1: 15 of 16 cores allocated (93.8%), above the 90% overload threshold
        assertThat(output()).contains("chengdu-os", "46.9%", "93.8%", "yes", "his", "2.0%", "0h");
        c.efficiency = null;
        assertThatThrownBy(c::execute).hasMessageContaining("scheduler is not installed");
    }

    @Test
    void rebalancePlanApproveExecuteAndStatus() throws Exception {
        var world = t.world("chengdu-os");
        world.hosts.set(0, new org.tianshu.api.cloud.Host(null, "host-1", "az1", new Resources(16000, 65536, 500, 0),
                new Resources(4000, 4096, 20, 0), null, true));
        world.hosts.set(1, new org.tianshu.api.cloud.Host(null, "host-2", "az1", new Resources(16000, 65536, 500, 0),
                new Resources(1000, 1024, 10, 0), null, true));
        t.unmanaged("chengdu-os", "his", "health", new Resources(4000, 4096, 20, 0));
        world.workloads.put("ext-tiny", new org.tianshu.api.cloud.Workload(null, "ext-tiny", "tiny",
                org.tianshu.api.cloud.WorkloadKind.VM, "health", "host-2", org.tianshu.api.cloud.WorkloadState.ACTIVE,
                new Resources(1000, 1024, 10, 0), null));
        t.sync("chengdu-os");

        RebalanceCommands.PlanCommand plan = rebalanceCommand(new RebalanceCommands.PlanCommand());
        plan.cloud = "chengdu-os";
        plan.execute();
        String id = t.rebalance().list(OPS).get(0).id();
        assertThat(output()).contains("Plan " + id + " PROPOSED", "frees chengdu-os/host-2", "tiny", "host-2", "host-1");

        RebalanceCommands.ExecuteCommand execute = rebalanceCommand(new RebalanceCommands.ExecuteCommand());
        execute.id = id;
        assertThatThrownBy(execute::execute).hasMessageStartingWith("Error (CONFLICT, field id)");
        RebalanceCommands.ApproveCommand approve = rebalanceCommand(new RebalanceCommands.ApproveCommand());
        approve.id = id;
        approve.execute();
        execute.execute();
        long end = System.nanoTime() + 10_000_000_000L;
        while (t.rebalance().get(id, OPS).state() != org.tianshu.api.scheduling.RebalancePlan.State.DONE && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        printed.reset();
        RebalanceCommands.StatusCommand status = rebalanceCommand(new RebalanceCommands.StatusCommand());
        status.id = id;
        status.execute();
        assertThat(output()).contains("Plan " + id + " DONE", "DONE");
        assertThat(world.workloads.get("ext-tiny").host()).isEqualTo("host-1");
        status.id = null;
        printed.reset();
        status.execute();
        assertThat(output()).contains(id, "chengdu-os", "ops");
        RebalanceCommands.PlanCommand forbidden = rebalanceCommand(new RebalanceCommands.PlanCommand());
        forbidden.caller = ALICE;
        assertThatThrownBy(forbidden::execute).hasMessageStartingWith("Error (FORBIDDEN");
    }

    private <A extends RebalanceCommands.RebalanceAction> A rebalanceCommand(A action) {
        action.rebalance = t.rebalance();
        action.audit = t.audit();
        action.caller = OPS;
        action.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return action;
    }

    @Test
    void showbackPrintsATableOrCsv() throws Exception {
        t.unmanaged("chengdu-os", "his", "health", new Resources(2000, 4096, 40, 0));
        t.showback().sample();
        ShowbackCommand c = new ShowbackCommand();
        c.showback = t.showback();
        c.audit = t.audit();
        c.caller = ALICE;
        c.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        c.execute();
        assertThat(output()).contains("in CNY", "health", "chengdu-os", "2.0", "4.0", "40.0", "0.26");
        printed.reset();
        c.csv = true;
        c.execute();
        assertThat(output()).startsWith("department,cloud,").contains("health,chengdu-os,2,4,0,40,0.26,CNY");
        c.from = "last week";
        assertThatThrownBy(c::execute).hasMessageStartingWith("Error (INVALID, field from)");
    }
}
