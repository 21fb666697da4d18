package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tianshu.scheduler.Fixtures.cloud;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.scheduling.Move;

/**
 * Over generated clouds (zones, GPU hosts, overcommit, hosts down, affinity and anti-affinity groups, overloaded
 * hosts): no rebalancing plan breaks a hard constraint, and what it claims to relieve and free is so.
 */
class RebalancePropertiesTest {
    private static final double THRESHOLD = 0.9;

    record Scenario(List<Cloud> clouds, List<Host> hosts, List<Workload> workloads, Map<String, RebalancePlanner.Groups> groups) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.longs().map(RebalancePropertiesTest::scenario);
    }

    static Scenario scenario(long seed) {
        Random r = new Random(seed);
        List<Cloud> clouds = List.of(cloud("a", "chengdu", 3, false, Map.of("overcommit.cpu", "2")), cloud("b", "mianyang"));
        List<Host> bare = new ArrayList<>();
        for (Cloud c : clouds) {
            int n = 2 + r.nextInt(6);
            for (int i = 0; i < n; i++) {
                boolean gpu = r.nextInt(5) == 0;
                bare.add(new Host(c.id(), c.id() + "-h" + i, "az" + r.nextInt(2), new Resources(8000 * (1 + r.nextInt(3)),
                        32_768 * (1 + r.nextInt(3)), 1000, gpu ? 4 : 0), Resources.ZERO, gpu ? "A100" : null, r.nextInt(8) != 0));
            }
        }
        List<Workload> workloads = new ArrayList<>();
        Map<String, RebalancePlanner.Groups> groups = new HashMap<>();
        Map<String, Resources> alloc = new HashMap<>();
        int n = r.nextInt(30);
        for (int i = 0; i < n; i++) {
            Host h = bare.get(r.nextInt(bare.size()));
            Resources res = new Resources(500L * (1 + r.nextInt(12)), 1024L * (1 + r.nextInt(24)), 10,
                    h.gpuType() != null && r.nextBoolean() ? 1 : 0);
            String request = "r" + i;
            switch (r.nextInt(4)) {
                case 0 -> groups.put(request, new RebalancePlanner.Groups(null, "anti" + r.nextInt(3)));
                case 1 -> groups.put(request, new RebalancePlanner.Groups("aff" + r.nextInt(2), null));
                default -> {
                    // no group
                }
            }
            workloads.add(new Workload(h.cloudId(), "w" + i, "w" + i, WorkloadKind.VM, "health", h.name(),
                    r.nextInt(10) == 0 ? WorkloadState.BUILDING : WorkloadState.ACTIVE, res, request));
            alloc.merge(h.cloudId() + "/" + h.name(), res, Resources::plus);
        }
        List<Host> hosts = bare.stream().map(h -> new Host(h.cloudId(), h.name(), h.zone(), h.capacity(),
                alloc.getOrDefault(h.cloudId() + "/" + h.name(), Resources.ZERO), h.gpuType(), h.up())).toList();
        return new Scenario(clouds, hosts, workloads, groups);
    }

    @Property(tries = 300)
    void noPlanBreaksAHardConstraint(@ForAll("scenarios") Scenario s) {
        RebalancePlanner.Result plan = new RebalancePlanner(THRESHOLD, 20).plan(s.clouds(), s.hosts(), s.workloads(), s.groups());
        Map<String, Host> hosts = new HashMap<>();
        s.hosts().forEach(h -> hosts.put(h.cloudId() + "/" + h.name(), h));
        Map<String, Workload> byId = new HashMap<>();
        s.workloads().forEach(w -> byId.put(w.externalId(), w));
        Map<String, String> where = new HashMap<>();
        s.workloads().forEach(w -> where.put(w.externalId(), w.cloudId() + "/" + w.host()));
        Set<String> targets = new HashSet<>();
        assertThat(plan.moves().size()).isLessThanOrEqualTo(20);
        for (Move m : plan.moves()) {
            Workload w = byId.get(m.externalId());
            Host from = hosts.get(m.cloudId() + "/" + m.fromHost());
            Host to = hosts.get(m.cloudId() + "/" + m.toHost());
            assertThat(w.cloudId()).as("stays in its cloud").isEqualTo(m.cloudId());
            assertThat(where.get(w.externalId())).as("moves from where it is").isEqualTo(m.cloudId() + "/" + m.fromHost());
            assertThat(to.up()).as("target is up").isTrue();
            assertThat(to.zone()).as("stays in its zone").isEqualTo(from.zone());
            assertThat(w.state()).as("only running workloads move").isEqualTo(WorkloadState.ACTIVE);
            RebalancePlanner.Groups g = s.groups().get(w.requestId());
            assertThat(g == null || g.affinity() == null).as("affinity members stay").isTrue();
            if (w.resources().gpus() > 0) {
                assertThat(to.gpuType()).as("GPU type kept").isEqualTo(from.gpuType());
            }
            where.put(w.externalId(), m.cloudId() + "/" + m.toHost());
            targets.add(m.cloudId() + "/" + m.toHost());
        }
        Map<String, long[]> after = new HashMap<>();
        for (Workload w : s.workloads()) {
            long[] a = after.computeIfAbsent(where.get(w.externalId()), k -> new long[4]);
            a[0] += w.resources().cpuMillis();
            a[1] += w.resources().memoryMiB();
            a[2] += w.resources().diskGiB();
            a[3] += w.resources().gpus();
        }
        for (String t : targets) {
            Host h = hosts.get(t);
            CloudState ratios = new CloudState(s.clouds().stream().filter(c -> c.id().equals(h.cloudId())).findFirst().orElseThrow());
            long[] a = after.get(t);
            assertThat(a[0]).as("cpu of target " + t).isLessThanOrEqualTo((long) (THRESHOLD * Math.floor(h.capacity().cpuMillis() * ratios.cpuRatio)));
            assertThat(a[1]).as("memory of target " + t).isLessThanOrEqualTo((long) (THRESHOLD * h.capacity().memoryMiB()));
            assertThat(a[3]).as("gpus of target " + t).isLessThanOrEqualTo(h.capacity().gpus());
        }
        // no two members of an anti-affinity group share a host they did not share before
        Map<String, Set<String>> before = new HashMap<>();
        Map<String, Set<String>> now = new HashMap<>();
        for (Workload w : s.workloads()) {
            RebalancePlanner.Groups g = s.groups().get(w.requestId());
            if (g != null && g.antiAffinity() != null) {
                before.computeIfAbsent(g.antiAffinity() + "@" + w.cloudId() + "/" + w.host(), k -> new HashSet<>()).add(w.externalId());
                now.computeIfAbsent(g.antiAffinity() + "@" + where.get(w.externalId()), k -> new HashSet<>()).add(w.externalId());
            }
        }
        now.forEach((key, members) -> {
            if (members.size() > 1) {
                assertThat(before.getOrDefault(key, Set.of())).as("anti-affinity " + key).containsAll(members);
            }
        });
        for (String freed : plan.freed()) {
            assertThat(where.values()).as("freed " + freed).doesNotContain(freed);
            assertThat(targets).doesNotContain(freed);
        }
        for (String relieved : plan.relieved()) {
            Host h = hosts.get(relieved);
            CloudState ratios = new CloudState(s.clouds().stream().filter(c -> c.id().equals(h.cloudId())).findFirst().orElseThrow());
            long[] a = after.getOrDefault(relieved, new long[4]);
            // the planner knows only the inventory's allocation, which the generated workloads make up entirely
            assertThat(a[0]).isLessThanOrEqualTo((long) (THRESHOLD * Math.floor(h.capacity().cpuMillis() * ratios.cpuRatio)));
            assertThat(a[1]).isLessThanOrEqualTo((long) (THRESHOLD * h.capacity().memoryMiB()));
        }
        assertThat(Objects.requireNonNull(plan.relieved())).doesNotHaveDuplicates();
    }
}
