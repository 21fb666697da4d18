package org.tianshu.scheduler;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintCollectors;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.Joiners;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.SolverConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.scheduling.HostVerdict;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.PlacementRequest;

/**
 * The Timefold Solver peer of {@link PlacementBench}: the same instance as one offline problem, every request
 * member a planning entity whose variable is its host (or none), with the engine's hard constraints. Which hosts a
 * member may use at all (allowed clouds, MLPS zone, 信创, residency, zones, GPU type, host up, a host large
 * enough when empty) comes from the engine's own host verdicts on the empty province, so both answer the same
 * question; capacity after overcommit, affinity (one host per group), anti-affinity (distinct hosts per group),
 * HA zone spread (distinct zones within a request) are hard constraints here, a group placed whole or not at all
 * a heavy soft one ({@link #PARTIAL_GROUP}). Score: hard = those constraints, medium = members left unplaced, soft =
 * hosts used plus partial groups.
 */
final class TimefoldPeer {
    /**
     * Soft penalty of a group placed in part: far above a host's 1, but soft, so that the construction heuristic, which
     * assigns one member at a time, can place a group's first member (a hard or medium penalty would leave every group
     * out). The result counts only requests placed whole; a part left placed at the end still counts its hosts.
     */
    static final long PARTIAL_GROUP = 10_000;

    private TimefoldPeer() {
    }

    /** What Timefold did: members placed, requests placed whole, hosts used, per-dimension demand placed, final score. */
    record Outcome(int members, int requests, int hostsUsed, long[] demand, String score, long millis) {
    }

    static Outcome solve(PlacementBench.Instance in, int seconds) {
        PlacementEngine empty = new PlacementEngine(in.clouds(), in.hosts(), null);
        Map<String, TfHost> hosts = new HashMap<>();
        List<TfHost> hostList = new ArrayList<>();
        for (Host h : in.hosts()) {
            var cap = empty.effectiveCapacity(h.cloudId(), h.name());
            TfHost t = new TfHost(h.cloudId() + "/" + h.name(), h.cloudId() + "/" + (h.zone() == null ? "" : h.zone()),
                    cap.cpuMillis(), cap.memoryMiB(), cap.diskGiB(), cap.gpus());
            hosts.put(t.key, t);
            hostList.add(t);
        }
        List<TfMember> members = new ArrayList<>();
        int id = 0;
        for (int r = 0; r < in.requests().size(); r++) {
            PlacementRequest req = in.requests().get(r);
            PlacementRequest explain = new PlacementRequest(req.departmentId(), req.demand(), 1, req.constraints(), req.preferences(), true);
            List<TfHost> eligible = new ArrayList<>();
            for (HostVerdict v : empty.place(explain, true).explanation().hosts()) {
                if (v.rejectedBy() == null) {
                    eligible.add(hosts.get(v.cloudId() + "/" + v.host()));
                }
            }
            PlacementConstraints c = req.constraints();
            TfRequest tr = new TfRequest(r, req.count());
            for (int m = 0; m < req.count(); m++) {
                members.add(new TfMember(id++, tr, req.demand().cpuMillis(), req.demand().memoryMiB(), req.demand().diskGiB(),
                        req.demand().gpus(), c.affinityGroup(), c.antiAffinityGroup(), c.spreadZones(), eligible));
            }
        }
        SolverConfig config = new SolverConfig().withSolutionClass(TfSolution.class).withEntityClasses(TfMember.class)
                .withConstraintProviderClass(TfConstraints.class).withTerminationSpentLimit(Duration.ofSeconds(seconds));
        long t0 = System.nanoTime();
        TfSolution best = SolverFactory.<TfSolution>create(config).buildSolver().solve(new TfSolution(hostList, members));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Map<TfRequest, Integer> placedPerRequest = new HashMap<>();
        Set<TfHost> used = new HashSet<>();
        for (TfMember m : best.members) {
            if (m.host != null) {
                placedPerRequest.merge(m.request, 1, Integer::sum);
            }
        }
        long[] demand = new long[4];
        int placedMembers = 0;
        for (TfMember m : best.members) {
            if (m.host != null) {
                used.add(m.host);
            }
            if (m.host != null && placedPerRequest.get(m.request) == m.request.count) {
                placedMembers++;
                demand[0] += m.cpu;
                demand[1] += m.mem;
                demand[2] += m.disk;
                demand[3] += m.gpus;
            }
        }
        int whole = (int) placedPerRequest.entrySet().stream().filter(e -> e.getValue() == e.getKey().count).count();
        return new Outcome(placedMembers, whole, used.size(), demand, String.valueOf(best.score), millis);
    }

    /** A host: key, zone key and capacity after overcommit. */
    public static final class TfHost {
        final String key;
        final String zoneKey;
        final long cpu;
        final long mem;
        final long disk;
        final long gpus;

        TfHost(String key, String zoneKey, long cpu, long mem, long disk, long gpus) {
            this.key = key;
            this.zoneKey = zoneKey;
            this.cpu = cpu;
            this.mem = mem;
            this.disk = disk;
            this.gpus = gpus;
        }

        @PlanningId
        public String getKey() {
            return key;
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /** A request: its index and member count. */
    public static final class TfRequest {
        final int index;
        final int count;

        TfRequest(int index, int count) {
            this.index = index;
            this.count = count;
        }
    }

    /** One member of a request; its host is the planning variable (none: not placed). */
    @PlanningEntity
    public static final class TfMember {
        private int id;
        TfRequest request;
        long cpu;
        long mem;
        long disk;
        long gpus;
        String affinity;
        String anti;
        boolean spread;
        private List<TfHost> eligible;
        TfHost host;

        public TfMember() {
        }

        TfMember(int id, TfRequest request, long cpu, long mem, long disk, long gpus, String affinity, String anti, boolean spread,
                List<TfHost> eligible) {
            this.id = id;
            this.request = request;
            this.cpu = cpu;
            this.mem = mem;
            this.disk = disk;
            this.gpus = gpus;
            this.affinity = affinity;
            this.anti = anti;
            this.spread = spread;
            this.eligible = eligible;
        }

        @PlanningId
        public int getId() {
            return id;
        }

        @ValueRangeProvider(id = "eligible")
        public List<TfHost> getEligible() {
            return eligible;
        }

        @PlanningVariable(valueRangeProviderRefs = "eligible", allowsUnassigned = true)
        public TfHost getHost() {
            return host;
        }

        public void setHost(TfHost host) {
            this.host = host;
        }
    }

    /** The problem and its best assignment. */
    @PlanningSolution
    public static final class TfSolution {
        List<TfHost> hosts;
        List<TfMember> members;
        HardMediumSoftLongScore score;

        public TfSolution() {
        }

        TfSolution(List<TfHost> hosts, List<TfMember> members) {
            this.hosts = hosts;
            this.members = members;
        }

        @ProblemFactCollectionProperty
        public List<TfHost> getHosts() {
            return hosts;
        }

        public void setHosts(List<TfHost> hosts) {
            this.hosts = hosts;
        }

        @PlanningEntityCollectionProperty
        public List<TfMember> getMembers() {
            return members;
        }

        public void setMembers(List<TfMember> members) {
            this.members = members;
        }

        @PlanningScore
        public HardMediumSoftLongScore getScore() {
            return score;
        }

        public void setScore(HardMediumSoftLongScore score) {
            this.score = score;
        }
    }

    /** The engine's hard constraints, members left out, hosts used. */
    public static final class TfConstraints implements ConstraintProvider {
        @Override
        public Constraint[] defineConstraints(ConstraintFactory f) {
            return new Constraint[] {
                f.forEach(TfMember.class)
                        .groupBy(TfMember::getHost, ConstraintCollectors.sumLong(m -> m.cpu), ConstraintCollectors.sumLong(m -> m.mem),
                                ConstraintCollectors.sumLong(m -> m.disk))
                        .filter((h, cpu, mem, disk) -> cpu > h.cpu || mem > h.mem || disk > h.disk)
                        .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (h, cpu, mem, disk) -> 1 + Math.max(0, cpu - h.cpu) / 100
                                + Math.max(0, mem - h.mem) / 128 + Math.max(0, disk - h.disk) / 10)
                        .asConstraint("capacity"),
                f.forEach(TfMember.class).filter(m -> m.gpus > 0).groupBy(TfMember::getHost, ConstraintCollectors.sumLong(m -> m.gpus))
                        .filter((h, gpus) -> gpus > h.gpus).penalizeLong(HardMediumSoftLongScore.ONE_HARD, (h, gpus) -> 100 * (gpus - h.gpus))
                        .asConstraint("gpus"),
                f.forEach(TfMember.class).filter(m -> m.anti != null)
                        .join(f.forEach(TfMember.class).filter(m -> m.anti != null), Joiners.equal(m -> m.anti),
                                Joiners.equal(TfMember::getHost), Joiners.lessThan(TfMember::getId))
                        .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (a, b) -> 100).asConstraint("anti-affinity"),
                f.forEach(TfMember.class).filter(m -> m.affinity != null)
                        .join(f.forEach(TfMember.class).filter(m -> m.affinity != null), Joiners.equal(m -> m.affinity),
                                Joiners.lessThan(TfMember::getId))
                        .filter((a, b) -> a.host != b.host).penalizeLong(HardMediumSoftLongScore.ONE_HARD, (a, b) -> 100)
                        .asConstraint("affinity"),
                f.forEach(TfMember.class).filter(m -> m.spread)
                        .join(f.forEach(TfMember.class).filter(m -> m.spread), Joiners.equal(m -> m.request),
                                Joiners.equal(m -> m.host.zoneKey), Joiners.lessThan(TfMember::getId))
                        .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (a, b) -> 100).asConstraint("zone spread"),
                f.forEachIncludingUnassigned(TfMember.class).filter(m -> m.request.count > 1)
                        .groupBy(m -> m.request, ConstraintCollectors.conditionally(m -> m.host != null, ConstraintCollectors.count()))
                        .filter((r, placed) -> placed > 0 && placed < r.count)
                        .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, (r, placed) -> PARTIAL_GROUP).asConstraint("group whole or not at all"),
                f.forEachIncludingUnassigned(TfMember.class).filter(m -> m.host == null)
                        .penalizeLong(HardMediumSoftLongScore.ONE_MEDIUM, m -> 1).asConstraint("member not placed"),
                f.forEach(TfMember.class).groupBy(TfMember::getHost).penalizeLong(HardMediumSoftLongScore.ONE_SOFT, h -> 1)
                        .asConstraint("hosts used"),
            };
        }
    }
}
