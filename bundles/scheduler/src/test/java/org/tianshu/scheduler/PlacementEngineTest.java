package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tianshu.scheduler.Fixtures.affinity;
import static org.tianshu.scheduler.Fixtures.anti;
import static org.tianshu.scheduler.Fixtures.cloud;
import static org.tianshu.scheduler.Fixtures.constraints;
import static org.tianshu.scheduler.Fixtures.gpuHost;
import static org.tianshu.scheduler.Fixtures.host;
import static org.tianshu.scheduler.Fixtures.residency;
import static org.tianshu.scheduler.Fixtures.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.scheduling.CloudVerdict;
import org.tianshu.api.scheduling.Constraint;
import org.tianshu.api.scheduling.MemberPlacement;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.Placement.Outcome;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.PlacementScorer;
import org.tianshu.api.scheduling.Preferences;
import org.tianshu.api.scheduling.ScoringCriterion;

class PlacementEngineTest {
    private final List<Cloud> clouds = List.of(
            cloud("chengdu-os", "chengdu", 3, false, Map.of("overcommit.cpu", "4")),
            cloud("mianyang-xc", "mianyang", 4, true, Map.of()),
            cloud("yibin-os", "yibin", 2, false, Map.of()));
    private final List<Host> hosts = List.of(
            host("chengdu-os", "cd-1", "az1", 8, 32),
            host("chengdu-os", "cd-2", "az2", 8, 64),
            host("mianyang-xc", "my-1", "az1", 16, 64),
            gpuHost("mianyang-xc", "my-gpu", "az2", "ascend910", 8),
            host("yibin-os", "yb-1", "az1", 32, 128));
    private final Fixtures.MemoryQuota quota = new Fixtures.MemoryQuota();
    private final PlacementEngine engine = new PlacementEngine(clouds, hosts, quota);

    private static PlacementRequest request(Resources demand, int count, PlacementConstraints c) {
        return new PlacementRequest("health", demand, count, c, Preferences.PACK, false);
    }

    private static CloudVerdict verdict(Placement p, String cloud) {
        return p.explanation().clouds().stream().filter(v -> v.cloudId().equals(cloud)).findFirst().orElseThrow();
    }

    @Test
    void aHoldKeepsAGroupInOneCloudTakesNoQuotaAndEndsWhenTheInventoryReportsIt() {
        // one member fits in chengdu-os and in yibin-os, two on distinct hosts only in mianyang-xc
        Placement held = engine.hold(request(vm(16, 64), 2, anti("ha", false)), "req-1");

        assertThat(held.outcome()).isEqualTo(Outcome.PLACED);
        assertThat(held.reservationId()).isEqualTo("req-1");
        assertThat(held.decision()).extracting(MemberPlacement::cloudId).containsOnly("mianyang-xc");
        assertThat(held.explanation().clouds()).extracting(CloudVerdict::cloudId)
                .containsExactly("chengdu-os", "mianyang-xc", "yibin-os");
        assertThat(quota.used("health", 0)).isZero();
        assertThat(engine.free("mianyang-xc", "my-1")).isEqualTo(new Resources(0, 0, 980, 0));
        assertThatThrownBy(() -> engine.hold(request(vm(1, 1), 1, constraints()), "req-1"))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("holdId"));

        Placement three = engine.hold(request(vm(16, 64), 3, anti("ha", false)), "req-2");
        assertThat(three.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(three.explanation().summary()).contains("no single cloud can take all 3 members");
        assertThat(engine.reservations()).isEqualTo(1);

        // the inventory now counts the workload on my-1: the hold ends instead of being counted twice
        List<Host> after = new ArrayList<>(hosts);
        after.set(2, new Host("mianyang-xc", "my-1", "az1", new Resources(16_000, 64 * 1024, 1000, 0),
                new Resources(16_000, 64 * 1024, 20, 0), null, true));
        assertThat(engine.refresh(clouds, after, Set.of("req-1"))).containsExactly("req-1");
        assertThat(engine.reservation("req-1").settled()).isTrue();
        assertThat(engine.free("mianyang-xc", "my-1")).isEqualTo(new Resources(0, 0, 980, 0));
        // settled, it still keeps the anti-affinity group apart until released
        assertThat(engine.place(request(vm(1, 1), 1, anti("ha", false)), true).decision().get(0).host())
                .isNotIn("my-1", "my-gpu");
        // releasing a settled hold gives back no capacity (the inventory counts the workload until it is gone)
        engine.release("req-1");
        assertThat(engine.free("mianyang-xc", "my-1")).isEqualTo(new Resources(0, 0, 980, 0));
        assertThat(engine.reservations()).isZero();
    }

    @Test
    void aMovedReservationTakesItsCapacityAndGroupToTheNewHost() {
        PlacementConstraints db = new PlacementConstraints(Set.of("chengdu-os"), 1, false, null, Set.of(), null, "db", false, null);
        Placement p = engine.hold(request(vm(8, 16), 1, db), "req-db");
        String from = p.decision().get(0).host();
        String to = from.equals("cd-1") ? "cd-2" : "cd-1";
        Resources freeBefore = engine.free("chengdu-os", to);

        assertThat(engine.moved("req-db", "chengdu-os/" + from, "chengdu-os/" + to)).isNotNull();

        assertThat(engine.free("chengdu-os", from)).isEqualTo(engine.effectiveCapacity("chengdu-os", from));
        assertThat(engine.free("chengdu-os", to)).isEqualTo(freeBefore.minus(vm(8, 16)));
        // another member of the group may now go where the first was, and not where it is
        assertThat(engine.place(request(vm(1, 1), 1, db), true).decision().get(0).host()).isEqualTo(from);
        assertThat(engine.moved("nobody", "chengdu-os/" + from, "chengdu-os/" + to)).isNull();
    }

    @Test
    void cpuOvercommitFromCloudOptionsLetsMoreVcpusOntoAHost() {
        assertThat(engine.effectiveCapacity("chengdu-os", "cd-1")).isEqualTo(new Resources(32_000, 32 * 1024, 1000, 0));
        Placement p = engine.place(request(vm(24, 8), 1, residency("chengdu")), false);

        assertThat(p.outcome()).isEqualTo(Outcome.PLACED);
        assertThat(p.decision()).extracting(MemberPlacement::cloudId).containsExactly("chengdu-os");
        assertThat(engine.place(request(vm(24, 8), 1, residency("yibin")), true).outcome()).isEqualTo(Outcome.FEASIBLE);
        assertThat(engine.place(request(vm(33, 8), 1, residency("yibin")), true).outcome()).isEqualTo(Outcome.REFUSED);
    }

    @Test
    void cloudLevelConstraintsAreExplainedPerCloud() {
        PlacementConstraints c = new PlacementConstraints(Set.of("chengdu-os", "mianyang-xc"), 4, true, null, Set.of(), null, null,
                false, null);
        Placement p = engine.place(request(vm(2, 4), 1, c), false);

        assertThat(p.decision()).extracting(MemberPlacement::cloudId).containsExactly("mianyang-xc");
        assertThat(verdict(p, "yibin-os").rejectedBy()).isEqualTo(Constraint.ALLOWED_CLOUDS);
        assertThat(verdict(p, "chengdu-os").rejectedBy()).isEqualTo(Constraint.SECURITY_ZONE);
        assertThat(verdict(p, "chengdu-os").reason()).contains("MLPS 3").contains("4");
        assertThat(verdict(p, "mianyang-xc").eligible()).isTrue();
        assertThat(verdict(p, "mianyang-xc").members()).isEqualTo(1);

        PlacementConstraints xc = new PlacementConstraints(Set.of(), 1, true, "chengdu", Set.of(), null, null, false, null);
        Placement refused = engine.place(request(vm(2, 4), 1, xc), false);
        assertThat(refused.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(verdict(refused, "chengdu-os").rejectedBy()).isEqualTo(Constraint.XINCHUANG);
        assertThat(verdict(refused, "mianyang-xc").rejectedBy()).isEqualTo(Constraint.RESIDENCY);
        assertThat(refused.explanation().refusedBy()).isEqualTo(Constraint.RESIDENCY);
    }

    @Test
    void noCapacityNamesWhatWasShort() {
        Placement p = engine.place(request(vm(4, 100), 1, residency("chengdu")), false);

        assertThat(p.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(p.explanation().refusedBy()).isEqualTo(Constraint.CAPACITY);
        assertThat(p.explanation().summary()).contains("memory short on 2 hosts").contains("most free 65536 MiB").doesNotContain("cpu short");
        assertThat(verdict(p, "chengdu-os").reason()).contains("memory").contains("needs 102400 MiB memory");
        assertThat(engine.reservations()).isZero();
    }

    @Test
    void hostVerdictsOnRequestGiveTheRejectingConstraintOrTheScore() {
        PlacementConstraints c = new PlacementConstraints(Set.of(), 1, false, null, Set.of(), null, null, false, "ascend910");
        Placement p = engine.place(new PlacementRequest("health", new Resources(8000, 65536, 100, 2), 1, c, Preferences.PACK, true), false);

        assertThat(p.decision()).extracting(MemberPlacement::host).containsExactly("my-gpu");
        assertThat(p.explanation().hosts()).hasSize(5);
        assertThat(p.explanation().hosts()).filteredOn(h -> h.host().equals("my-gpu"))
                .singleElement().satisfies(h -> {
                    assertThat(h.rejectedBy()).isNull();
                    assertThat(h.members()).isEqualTo(1);
                    assertThat(h.score()).isPositive();
                });
        assertThat(p.explanation().hosts()).filteredOn(h -> !h.host().equals("my-gpu"))
                .allSatisfy(h -> assertThat(h.rejectedBy()).isEqualTo(Constraint.GPU_TYPE));
        assertThat(engine.free("mianyang-xc", "my-gpu").gpus()).isEqualTo(6);
    }

    @Test
    void packFillsAHostInUseBeforeOpeningAnother() {
        Placement first = engine.place(request(vm(1, 8), 1, residency("chengdu")), false);
        Placement second = engine.place(request(vm(1, 8), 1, residency("chengdu")), false);

        assertThat(first.decision().get(0).host()).isEqualTo("cd-2");
        assertThat(second.decision().get(0).host()).isEqualTo("cd-2");
    }

    @Test
    void spreadGoesToTheLeastLoadedHostInUseAndOpensAnEmptyOneOnlyWhenNoneInUseFits() {
        engine.place(request(vm(1, 8), 1, residency("chengdu")), false);

        assertThat(spread(vm(1, 32)).decision().get(0).host()).as("cd-1 is empty, cd-2 in use fits").isEqualTo("cd-2");
        assertThat(spread(vm(1, 30)).decision().get(0).host()).as("24 GiB left on cd-2, so cd-1 is opened").isEqualTo("cd-1");
        // after 1 vCPU and 2 GiB more, cd-1: 2 of 32 vCPUs, 32 of 32 GiB (load 0.53); cd-2: 3 of 32, 42 of 64 GiB (load 0.38)
        assertThat(spread(vm(1, 2)).decision().get(0).host()).isEqualTo("cd-2");
    }

    private Placement spread(Resources demand) {
        return engine.place(new PlacementRequest("health", demand, 1, residency("chengdu"), Preferences.SPREAD, false), false);
    }

    @Test
    void packSendsMemoryHeavyWorkToTheHostWhoseCpuRunsShort() {
        List<Host> two = List.of(host("yibin-os", "cpu-short", "az1", 16, 128), host("yibin-os", "mem-short", "az1", 64, 64));
        PlacementEngine e = new PlacementEngine(clouds, two, null);
        // both in use and half full by memory: cpu-short has 4 of 16 cores left, mem-short 32 GiB of 64 and 56 cores
        assertThat(e.place(new PlacementRequest("health", vm(12, 64), 1, residency("yibin"), Preferences.PACK, false), false)
                .decision().get(0).host()).isEqualTo("cpu-short");
        assertThat(e.place(new PlacementRequest("health", vm(8, 32), 1, residency("yibin"), Preferences.PACK, false), false)
                .decision().get(0).host()).isEqualTo("mem-short");

        Placement memoryHeavy = e.place(new PlacementRequest("health", vm(1, 16), 1, residency("yibin"), Preferences.PACK, false), true);
        // fits both; best fit alone would take cpu-short's last 4 cores and strand its 62 GiB
        Placement cpuHeavy = e.place(new PlacementRequest("health", vm(4, 2), 1, residency("yibin"), Preferences.PACK, false), true);

        assertThat(memoryHeavy.decision().get(0).host()).isEqualTo("cpu-short");
        assertThat(cpuHeavy.decision().get(0).host()).isEqualTo("mem-short");
    }

    @Test
    void scorersWeighCloudsByTheRequestsWeights() {
        engine.addScorer(new PlacementScorer() {
            @Override
            public ScoringCriterion criterion() {
                return ScoringCriterion.LATENCY;
            }

            @Override
            public double score(PlacementRequest request, Cloud cloud) {
                return cloud.id().equals("yibin-os") ? 1 : 0;
            }
        });
        Placement packed = engine.place(request(vm(1, 2), 1, PlacementConstraints.NONE), true);
        Placement near = engine.place(new PlacementRequest("health", vm(1, 2), 1, null, new Preferences(1, 0, 0, 0, 5), false), true);

        assertThat(packed.decision().get(0).cloudId()).isEqualTo("yibin-os");
        assertThat(near.decision().get(0).cloudId()).isEqualTo("yibin-os");
        assertThat(verdict(near, "yibin-os").score()).isGreaterThan(5);
        assertThat(verdict(near, "chengdu-os").score()).isLessThan(1.01);
    }

    @Test
    void dryRunReservesNothingAndReleaseGivesEverythingBack() {
        Resources before = engine.free("yibin-os", "yb-1");
        Placement dry = engine.place(request(vm(8, 32), 2, residency("yibin")), true);
        assertThat(dry.outcome()).isEqualTo(Outcome.FEASIBLE);
        assertThat(dry.reservationId()).isNull();
        assertThat(engine.free("yibin-os", "yb-1")).isEqualTo(before);
        assertThat(quota.calls).isEmpty();

        Placement real = engine.place(request(vm(8, 32), 2, residency("yibin")), false);
        assertThat(engine.free("yibin-os", "yb-1")).isEqualTo(before.minus(vm(8, 32).times(2)));
        assertThat(quota.used("health", 4)).isEqualTo(2);
        engine.release(real.reservationId());
        assertThat(engine.free("yibin-os", "yb-1")).isEqualTo(before);
        assertThat(quota.used("health", 4)).isZero();
        assertThatThrownBy(() -> engine.release(real.reservationId()))
                .isInstanceOfSatisfying(TianshuException.class, e -> assertThat(e.field()).isEqualTo("reservationId"));
    }

    @Test
    void groupsArePlacedWholeOrNotAtAll() {
        Placement ha = engine.place(request(vm(2, 8), 2, anti("web", true)), false);
        assertThat(ha.outcome()).isEqualTo(Outcome.PLACED);
        assertThat(ha.decision()).extracting(m -> m.cloudId() + "/" + m.zone()).doesNotHaveDuplicates();

        Placement tooMany = engine.place(request(vm(2, 8), 6, anti("db", false)), false);
        assertThat(tooMany.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(tooMany.explanation().refusedBy()).isEqualTo(Constraint.ANTI_AFFINITY);
        assertThat(tooMany.explanation().summary()).contains("only 5 of 6 members fit on distinct hosts");
        assertThat(tooMany.decision()).isEmpty();
        assertThat(engine.reservations()).isEqualTo(1);
        assertThat(hosts).allSatisfy(h -> assertThat(engine.free(h.cloudId(), h.name()))
                .isEqualTo(ha.decision().stream().anyMatch(m -> m.host().equals(h.name()))
                        ? engine.effectiveCapacity(h.cloudId(), h.name()).minus(vm(2, 8))
                        : engine.effectiveCapacity(h.cloudId(), h.name())));
    }

    @Test
    void antiAffinityHoldsAcrossRequestsAndAffinityPinsTheHost() {
        List<String> used = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Placement p = engine.place(request(vm(1, 1), 1, anti("etcd", false)), false);
            used.add(p.decision().get(0).host());
        }
        assertThat(used).doesNotHaveDuplicates();

        Placement a = engine.place(request(vm(1, 1), 2, affinity("pair")), false);
        assertThat(a.decision()).extracting(MemberPlacement::host).containsOnly(a.decision().get(0).host());
        Placement b = engine.place(request(vm(1, 1), 1, affinity("pair")), false);
        assertThat(b.decision().get(0).host()).isEqualTo(a.decision().get(0).host());
        Placement c = engine.place(request(vm(1, 1), 1, new PlacementConstraints(Set.of(), 1, false, "yibin", Set.of(), "pair", null,
                false, null)), false);
        if (!a.decision().get(0).cloudId().equals("yibin-os")) {
            assertThat(c.outcome()).isEqualTo(Outcome.REFUSED);
            assertThat(c.explanation().refusedBy()).isIn(Constraint.AFFINITY, Constraint.RESIDENCY);
        }
        engine.release(a.reservationId());
        engine.release(b.reservationId());
        if (c.reservationId() != null) {
            engine.release(c.reservationId());
        }
        Placement free = engine.place(request(vm(1, 1), 1, new PlacementConstraints(Set.of(), 1, false, "yibin", Set.of(), "pair", null,
                false, null)), false);
        assertThat(free.outcome()).isEqualTo(Outcome.PLACED);
    }

    @Test
    void quotaRefusalGivesBackTheHostClaims() {
        quota.limits.put("health", new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, 1});
        Resources before = engine.free("yibin-os", "yb-1");
        Placement p = engine.place(request(vm(1, 1), 2, residency("yibin")), false);

        assertThat(p.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(p.explanation().refusedBy()).isEqualTo(Constraint.QUOTA);
        assertThat(p.explanation().summary()).contains("quota exceeded");
        assertThat(p.decision()).isEmpty();
        assertThat(engine.free("yibin-os", "yb-1")).isEqualTo(before);
        assertThat(engine.reservations()).isZero();
    }

    @Test
    void aCloudWithAnInvalidOvercommitOptionIsRejectedNamingTheKey() {
        PlacementEngine e = new PlacementEngine(List.of(cloud("bad", "chengdu", 3, false, Map.of("overcommit.memory", "lots"))),
                List.of(host("bad", "h1", "az1", 8, 32)), null);
        Placement p = e.place(request(vm(1, 1), 1, PlacementConstraints.NONE), false);

        assertThat(p.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(p.explanation().refusedBy()).isEqualTo(Constraint.CLOUD_SETTINGS);
        assertThat(verdict(p, "bad").reason()).contains("overcommit.memory").contains("lots");
    }

    @Test
    void refreshKeepsReservationsThatAreStillHeld() {
        Placement p = engine.place(request(vm(4, 16), 1, residency("yibin")), false);
        engine.refresh(clouds, hosts);

        assertThat(engine.free("yibin-os", "yb-1")).isEqualTo(engine.effectiveCapacity("yibin-os", "yb-1").minus(vm(4, 16)));
        engine.release(p.reservationId());
        assertThat(engine.free("yibin-os", "yb-1")).isEqualTo(engine.effectiveCapacity("yibin-os", "yb-1"));
    }

    @Test
    void badInputIsInvalidNamingTheFieldAndReservesNothing() {
        record Bad(String field, PlacementRequest request) {
        }
        List<Bad> bad = List.of(
                new Bad("demand.memoryMiB", request(new Resources(1000, -1, 0, 0), 1, PlacementConstraints.NONE)),
                new Bad("demand", request(Resources.ZERO, 1, PlacementConstraints.NONE)),
                new Bad("count", request(vm(1, 1), 0, PlacementConstraints.NONE)),
                new Bad("departmentId", new PlacementRequest("Health!", vm(1, 1), 1, null, null, false)),
                new Bad("constraints.allowedClouds", request(vm(1, 1), 1,
                        new PlacementConstraints(Set.of("atlantis"), 1, false, null, Set.of(), null, null, false, null))),
                new Bad("constraints.zones", request(vm(1, 1), 1,
                        new PlacementConstraints(Set.of(), 1, false, null, Set.of("az9"), null, null, false, null))),
                new Bad("constraints.residency", request(vm(1, 1), 1, residency("lhasa"))),
                new Bad("constraints.minSecurityZone", request(vm(1, 1), 1,
                        new PlacementConstraints(Set.of(), 5, false, null, Set.of(), null, null, false, null))),
                new Bad("constraints.gpuType", request(vm(1, 1), 1,
                        new PlacementConstraints(Set.of(), 1, false, null, Set.of(), null, null, false, "ascend910"))),
                new Bad("constraints.antiAffinityGroup", request(vm(1, 1), 1,
                        new PlacementConstraints(Set.of(), 1, false, null, Set.of(), "g", "g", false, null))),
                new Bad("constraints.spreadZones", request(vm(1, 1), 2,
                        new PlacementConstraints(Set.of(), 1, false, null, Set.of(), "g", null, true, null))),
                new Bad("preferences.cost", new PlacementRequest("health", vm(1, 1), 1, null, new Preferences(1, 0, -1, 0, 0), false)));
        for (Bad b : bad) {
            assertThatThrownBy(() -> engine.place(b.request(), false)).as(b.field())
                    .isInstanceOfSatisfying(TianshuException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
                        assertThat(e.field()).isEqualTo(b.field());
                    });
        }
        assertThat(engine.reservations()).isZero();
        assertThat(quota.calls).isEmpty();
        assertThat(hosts).allSatisfy(h -> assertThat(engine.free(h.cloudId(), h.name()))
                .isEqualTo(engine.effectiveCapacity(h.cloudId(), h.name())));
    }

    @Test
    void concurrentPlacementsNeverOvercommitAHost() throws Exception {
        List<Host> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(host("chengdu-os", "h" + i, "az" + (i % 3), 4, 16));
        }
        PlacementEngine e = new PlacementEngine(List.of(cloud("chengdu-os", "chengdu")), many, null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<Placement>>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int seed = t;
            futures.add(pool.submit(() -> {
                List<Placement> mine = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int count = 1 + (i + seed) % 3;
                    PlacementConstraints c = i % 4 == 0 ? anti("ha-" + (i % 5), true) : PlacementConstraints.NONE;
                    mine.add(e.place(request(vm(1, 1 + (i * 7 + seed) % 4), count, c), false));
                }
                return mine;
            }));
        }
        long placedMembers = 0;
        for (Future<List<Placement>> f : futures) {
            for (Placement p : f.get(60, TimeUnit.SECONDS)) {
                placedMembers += p.decision().size();
            }
        }
        pool.shutdown();
        long usedCpu = 0;
        for (Host h : many) {
            Resources free = e.free(h.cloudId(), h.name());
            assertThat(free.cpuMillis()).isNotNegative();
            assertThat(free.memoryMiB()).isNotNegative();
            usedCpu += 4000 - free.cpuMillis();
        }
        assertThat(usedCpu).isEqualTo(placedMembers * 1000);
        assertThat(placedMembers).isGreaterThan(0).isLessThanOrEqualTo(80);
    }
}
