package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tianshu.scheduler.Fixtures.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.scheduling.Move;

class RebalancePlannerTest {
    private final List<Cloud> clouds = List.of(cloud("cd", "chengdu"));
    private final RebalancePlanner planner = new RebalancePlanner(0.9, 20);

    private static Host host(String name, String zone, long cpu, List<Workload> on) {
        Resources alloc = on.stream().filter(w -> name.equals(w.host())).map(Workload::resources).reduce(Resources.ZERO, Resources::plus);
        return new Host("cd", name, zone, new Resources(cpu, cpu * 4, 1000, 0), alloc, null, true);
    }

    private static Workload vm(String id, String host, long cpu, String requestId) {
        return new Workload("cd", id, id, WorkloadKind.VM, "health", host, WorkloadState.ACTIVE, new Resources(cpu, cpu * 2, 10, 0),
                requestId);
    }

    @Test
    void relievesTheOverloadedHostWithItsLargestWorkloadAndFreesTheLightestHost() {
        List<Workload> w = List.of(vm("big", "h1", 6000, null), vm("small", "h1", 3500, null),
                vm("lonely", "h3", 1000, null), vm("resident", "h2", 2000, null));
        List<Host> hosts = List.of(host("h1", "az1", 10_000, w), host("h2", "az1", 10_000, w), host("h3", "az1", 10_000, w),
                host("h4", "az1", 10_000, w), host("other-zone", "az2", 10_000, w));

        RebalancePlanner.Result r = planner.plan(clouds, hosts, w, Map.of());

        // h1 at 95%: moving "big" (6 cores) relieves it in one move, onto the fullest host with room; h3's one VM
        // then frees h3, onto h2 again (80% + 10%, the threshold exactly)
        assertThat(r.moves()).extracting(Move::workload, Move::fromHost, Move::toHost)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("big", "h1", "h2"),
                        org.assertj.core.groups.Tuple.tuple("lonely", "h3", "h2"));
        assertThat(r.relieved()).containsExactly("cd/h1");
        assertThat(r.freed()).containsExactly("cd/h3");
        // never into another zone, never onto an empty host to free one
        assertThat(r.moves()).extracting(Move::toHost).doesNotContain("other-zone", "h4");
        assertHostsBelowThreshold(hosts, w, r.moves());
    }

    @Test
    void antiAffinityAndAffinityAreKept() {
        List<Workload> w = List.of(vm("web-1", "h1", 9500, "r1"), vm("web-2", "h2", 1000, "r2"), vm("db", "h3", 1000, "r3"),
                vm("db-twin", "h3", 1000, "r4"));
        List<Host> hosts = List.of(host("h1", "az1", 10_000, w), host("h2", "az1", 10_000, w), host("h3", "az1", 20_000, w));
        Map<String, RebalancePlanner.Groups> groups = Map.of("r1", new RebalancePlanner.Groups(null, "web"),
                "r2", new RebalancePlanner.Groups(null, "web"), "r3", new RebalancePlanner.Groups("db", null),
                "r4", new RebalancePlanner.Groups("db", null));

        RebalancePlanner.Result r = planner.plan(clouds, hosts, w, groups);

        // web-1 may not join web-2 on h2 (anti-affinity); it goes to h3. The db pair (affinity) stays, so h3 is not
        // freed; web-2 alone on h2 cannot join web-1 on h3 nor go to the now empty h1, so h2 is not freed either
        assertThat(r.moves()).extracting(Move::workload, Move::toHost).containsExactly(org.assertj.core.groups.Tuple.tuple("web-1", "h3"));
        assertThat(r.freed()).isEmpty();
        assertHostsBelowThreshold(hosts, w, r.moves());
    }

    @Test
    void aHostThatCannotBeEmptiedIsLeftAlone() {
        List<Workload> w = List.of(vm("a", "h1", 8000, null), vm("b", "h2", 8000, null));
        List<Host> hosts = List.of(host("h1", "az1", 10_000, w), host("h2", "az1", 10_000, w));
        assertThat(planner.plan(clouds, hosts, w, Map.of()).moves()).isEmpty();
    }

    private static void assertHostsBelowThreshold(List<Host> hosts, List<Workload> w, List<Move> moves) {
        List<Workload> after = new ArrayList<>();
        for (Workload x : w) {
            String host = moves.stream().filter(m -> m.externalId().equals(x.externalId())).map(Move::toHost).findFirst().orElse(x.host());
            after.add(new Workload(x.cloudId(), x.externalId(), x.name(), x.kind(), x.departmentId(), host, x.state(), x.resources(), x.requestId()));
        }
        for (Host h : hosts) {
            long cpu = after.stream().filter(x -> h.name().equals(x.host())).mapToLong(x -> x.resources().cpuMillis()).sum();
            assertThat(cpu).as(h.name()).isLessThanOrEqualTo((long) (0.9 * h.capacity().cpuMillis()));
        }
    }
}
