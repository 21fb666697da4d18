package org.tianshu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.scheduling.CloudVerdict;
import org.tianshu.api.scheduling.Constraint;
import org.tianshu.api.scheduling.MemberPlacement;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.Placement.Outcome;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.Preferences;

/**
 * Properties of the engine over generated small provinces, checked against an independent model: free capacity
 * per host kept by the test, and a brute-force search over every assignment of members to hosts.
 */
class PlacementPropertiesTest {
    private static final String[] CITIES = {"chengdu", "mianyang", "yibin"};
    private static final String[] ZONES = {"az1", "az2"};
    private static final String[] GPU_TYPES = {"a100", "ascend910"};
    private static final String[] GROUPS = {"g1", "g2", "g3"};

    /** A generated province and a sequence of requests, each maybe a dry run, with releases between them. */
    record Scenario(List<Cloud> clouds, List<Host> hosts, List<Step> steps) {
    }

    record Step(PlacementRequest request, boolean dryRun, double releaseDraw) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 12), Arbitraries.longs()).as(PlacementPropertiesTest::scenario);
    }

    static Scenario scenario(int cloudCount, int maxHostsPerCloud, int stepCount, long seed) {
        Random rnd = new Random(seed);
        List<Cloud> clouds = new ArrayList<>();
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < cloudCount; i++) {
            Map<String, String> options = new HashMap<>();
            if (rnd.nextInt(3) == 0) {
                options.put(CloudState.OVERCOMMIT_CPU, rnd.nextBoolean() ? "1.5" : "4");
            }
            if (rnd.nextInt(4) == 0) {
                options.put(CloudState.OVERCOMMIT_MEMORY, "1.2");
            }
            if (rnd.nextInt(20) == 0) {
                options.put(CloudState.OVERCOMMIT_DISK, "0.5");
            }
            String id = "c" + i;
            clouds.add(new Cloud(id, id, CloudKind.OPENSTACK, CITIES[rnd.nextInt(CITIES.length)], "r", 1 + rnd.nextInt(4),
                    rnd.nextBoolean(), "https://" + id, "cred", options));
            int n = rnd.nextInt(maxHostsPerCloud + 1);
            for (int h = 0; h < n; h++) {
                boolean gpu = rnd.nextInt(5) == 0;
                Resources cap = new Resources(1000L * (2 << rnd.nextInt(3)), 1024L * (4 << rnd.nextInt(3)), 100,
                        gpu ? 1 + rnd.nextInt(2) : 0);
                Resources alloc = rnd.nextInt(5) < 2 ? Resources.ZERO
                        : new Resources(cap.cpuMillis() * rnd.nextInt(3) / 4, cap.memoryMiB() * rnd.nextInt(3) / 4, rnd.nextInt(50), 0);
                hosts.add(new Host(id, "h" + h, rnd.nextInt(4) == 0 ? null : ZONES[rnd.nextInt(ZONES.length)], cap, alloc,
                        gpu ? GPU_TYPES[rnd.nextInt(GPU_TYPES.length)] : null, rnd.nextInt(10) != 0));
            }
        }
        Set<String> cities = new TreeSet<>();
        clouds.forEach(c -> cities.add(c.city()));
        Set<String> zones = new TreeSet<>();
        Set<String> gpuTypes = new TreeSet<>();
        hosts.forEach(h -> {
            if (h.zone() != null) {
                zones.add(h.zone());
            }
            if (h.gpuType() != null) {
                gpuTypes.add(h.gpuType());
            }
        });
        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < stepCount; s++) {
            steps.add(new Step(request(rnd, clouds, cities, zones, gpuTypes), rnd.nextInt(4) == 0, rnd.nextDouble()));
        }
        return new Scenario(clouds, hosts, steps);
    }

    private static PlacementRequest request(Random rnd, List<Cloud> clouds, Set<String> cities, Set<String> zones,
            Set<String> gpuTypes) {
        long gpus = !gpuTypes.isEmpty() && rnd.nextInt(5) == 0 ? 1 : 0;
        Resources demand = new Resources(500L * rnd.nextInt(9), 256L + 512L * rnd.nextInt(12), rnd.nextInt(30), gpus);
        int count = 1 + rnd.nextInt(3);
        Set<String> allowed = new HashSet<>();
        if (rnd.nextInt(3) == 0) {
            clouds.stream().filter(c -> rnd.nextBoolean()).forEach(c -> allowed.add(c.id()));
        }
        String residency = switch (rnd.nextInt(4)) {
            case 0 -> PlacementConstraints.PROVINCE;
            case 1 -> pick(rnd, cities);
            default -> null;
        };
        Set<String> zoneSet = new HashSet<>();
        if (rnd.nextInt(4) == 0 && !zones.isEmpty()) {
            zoneSet.add(pick(rnd, zones));
        }
        String affinity = rnd.nextInt(5) == 0 ? GROUPS[rnd.nextInt(2)] : null;
        String anti = rnd.nextInt(4) == 0 ? GROUPS[1 + rnd.nextInt(2)] : null;
        boolean spread = rnd.nextInt(4) == 0;
        if (affinity != null && (affinity.equals(anti) || count > 1)) {
            anti = null;
            spread = false;
        }
        String gpuType = gpus > 0 && rnd.nextBoolean() ? pick(rnd, gpuTypes) : null;
        PlacementConstraints c = new PlacementConstraints(allowed, 1 + rnd.nextInt(4), rnd.nextInt(3) == 0, residency, zoneSet,
                affinity, anti, spread, gpuType);
        Preferences p = new Preferences(rnd.nextInt(3), rnd.nextInt(2), 0, 0, 0);
        return new PlacementRequest("dept-" + rnd.nextInt(2), demand, count, c, p, rnd.nextInt(3) == 0);
    }

    private static String pick(Random rnd, Set<String> values) {
        return new ArrayList<>(values).get(rnd.nextInt(values.size()));
    }

    /** The test's own view: free capacity per host key and hosts per group, from held reservations. */
    static final class Model {
        final Map<String, Cloud> clouds = new LinkedHashMap<>();
        final Map<String, Host> hosts = new LinkedHashMap<>();
        final Map<String, long[]> free = new LinkedHashMap<>();
        /** Effective capacity (after overcommit) per host key. */
        final Map<String, long[]> cap = new LinkedHashMap<>();
        final Map<String, List<String>> groupHosts = new HashMap<>();
        final Map<String, List<String>> held = new LinkedHashMap<>();
        final Map<String, PlacementRequest> heldRequests = new HashMap<>();
        final Set<String> affinityGroups = new HashSet<>();

        Model(Scenario s) {
            s.clouds().forEach(c -> clouds.put(c.id(), c));
            for (Host h : s.hosts()) {
                Cloud c = clouds.get(h.cloudId());
                double cpu = ratio(c, CloudState.OVERCOMMIT_CPU);
                double mem = ratio(c, CloudState.OVERCOMMIT_MEMORY);
                double disk = ratio(c, CloudState.OVERCOMMIT_DISK);
                hosts.put(key(h), h);
                cap.put(key(h), new long[] {(long) Math.floor(h.capacity().cpuMillis() * cpu), (long) Math.floor(h.capacity().memoryMiB() * mem),
                        (long) Math.floor(h.capacity().diskGiB() * disk), h.capacity().gpus()});
                free.put(key(h), new long[] {(long) Math.floor(h.capacity().cpuMillis() * cpu) - h.allocated().cpuMillis(),
                        (long) Math.floor(h.capacity().memoryMiB() * mem) - h.allocated().memoryMiB(),
                        (long) Math.floor(h.capacity().diskGiB() * disk) - h.allocated().diskGiB(), h.capacity().gpus()});
            }
        }

        static double ratio(Cloud c, String key) {
            String v = c.options().get(key);
            return v == null ? 1 : Math.max(1, Double.parseDouble(v));
        }

        static boolean settingsValid(Cloud c) {
            return c.options().values().stream().allMatch(v -> Double.parseDouble(v) >= 1);
        }

        static String key(Host h) {
            return h.cloudId() + "/" + h.name();
        }

        /** The cloud-level constraint {@code c} breaks for {@code r}, or null. */
        Constraint cloudRejects(PlacementRequest r, Cloud c) {
            PlacementConstraints k = r.constraints();
            if (!k.allowedClouds().isEmpty() && !k.allowedClouds().contains(c.id())) {
                return Constraint.ALLOWED_CLOUDS;
            }
            if (c.securityZone() < k.minSecurityZone()) {
                return Constraint.SECURITY_ZONE;
            }
            if (k.xinchuang() && !c.xinchuang()) {
                return Constraint.XINCHUANG;
            }
            if (!k.anyCity() && !k.residency().equals(c.city())) {
                return Constraint.RESIDENCY;
            }
            return settingsValid(c) ? null : Constraint.CLOUD_SETTINGS;
        }

        /** Whether host {@code key} holds something (its free capacity is below its capacity in some dimension). */
        boolean inUse(String key) {
            return !Arrays.equals(free.get(key), cap.get(key));
        }

        /** Whether a host may take a member at all, ignoring capacity and the other members. */
        boolean hostAllowed(PlacementRequest r, Host h) {
            PlacementConstraints k = r.constraints();
            if (cloudRejects(r, clouds.get(h.cloudId())) != null || !h.up()) {
                return false;
            }
            if (!k.zones().isEmpty() && (h.zone() == null || !k.zones().contains(h.zone()))) {
                return false;
            }
            if (k.gpuType() != null && !k.gpuType().equals(h.gpuType())) {
                return false;
            }
            if (k.antiAffinityGroup() != null && groupHosts.getOrDefault(k.antiAffinityGroup(), List.of()).contains(key(h))) {
                return false;
            }
            List<String> pinned = k.affinityGroup() == null ? List.of() : groupHosts.getOrDefault(k.affinityGroup(), List.of());
            return pinned.isEmpty() || pinned.contains(key(h));
        }

        /** The field of a group used as the other kind than its members' (INVALID), or null. */
        String groupMisuse(PlacementRequest r) {
            PlacementConstraints k = r.constraints();
            if (k.affinityGroup() != null && !groupHosts.getOrDefault(k.affinityGroup(), List.of()).isEmpty()
                    && !affinityGroups.contains(k.affinityGroup())) {
                return "constraints.affinityGroup";
            }
            if (k.antiAffinityGroup() != null && !groupHosts.getOrDefault(k.antiAffinityGroup(), List.of()).isEmpty()
                    && affinityGroups.contains(k.antiAffinityGroup())) {
                return "constraints.antiAffinityGroup";
            }
            return null;
        }

        /** Whether the request's affinity group already sits in another cloud (the whole cloud is then rejected). */
        boolean pinnedElsewhere(PlacementRequest r, String cloudId) {
            String g = r.constraints().affinityGroup();
            return g != null && groupHosts.getOrDefault(g, List.of()).stream().anyMatch(k -> !k.startsWith(cloudId + "/"));
        }

        /** Whether {@code assignment} (host key per member) meets every hard constraint and fits. */
        boolean valid(PlacementRequest r, List<String> assignment) {
            PlacementConstraints k = r.constraints();
            Map<String, long[]> use = new HashMap<>();
            Set<String> zonesUsed = new HashSet<>();
            for (String key : assignment) {
                Host h = hosts.get(key);
                if (h == null || !hostAllowed(r, h)) {
                    return false;
                }
                long[] u = use.computeIfAbsent(key, x -> new long[4]);
                u[0] += r.demand().cpuMillis();
                u[1] += r.demand().memoryMiB();
                u[2] += r.demand().diskGiB();
                u[3] += r.demand().gpus();
                if (k.spreadZones() && !zonesUsed.add(h.cloudId() + "/" + (h.zone() == null ? "" : h.zone()))) {
                    return false;
                }
            }
            if (k.antiAffinityGroup() != null && use.size() < assignment.size()) {
                return false;
            }
            if (k.affinityGroup() != null && use.size() > 1) {
                return false;
            }
            for (Map.Entry<String, long[]> e : use.entrySet()) {
                long[] f = free.get(e.getKey());
                for (int i = 0; i < 4; i++) {
                    if (e.getValue()[i] > f[i]) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Brute force: tries every assignment of members to hosts. */
        boolean feasible(PlacementRequest r) {
            List<String> keys = new ArrayList<>(hosts.keySet());
            return search(r, keys, new ArrayList<>());
        }

        private boolean search(PlacementRequest r, List<String> keys, List<String> partial) {
            if (partial.size() == r.count()) {
                return valid(r, partial);
            }
            for (String k : keys) {
                partial.add(k);
                boolean ok = search(r, keys, partial);
                partial.remove(partial.size() - 1);
                if (ok) {
                    return true;
                }
            }
            return false;
        }

        void hold(String id, PlacementRequest r, List<String> assignment) {
            for (String key : assignment) {
                long[] f = free.get(key);
                f[0] -= r.demand().cpuMillis();
                f[1] -= r.demand().memoryMiB();
                f[2] -= r.demand().diskGiB();
                f[3] -= r.demand().gpus();
                for (String g : groups(r)) {
                    groupHosts.computeIfAbsent(g, x -> new ArrayList<>()).add(key);
                }
            }
            held.put(id, assignment);
            heldRequests.put(id, r);
            if (r.constraints().affinityGroup() != null) {
                affinityGroups.add(r.constraints().affinityGroup());
            }
            if (r.constraints().antiAffinityGroup() != null) {
                affinityGroups.remove(r.constraints().antiAffinityGroup());
            }
        }

        void release(String id) {
            PlacementRequest r = heldRequests.remove(id);
            for (String key : held.remove(id)) {
                long[] f = free.get(key);
                f[0] += r.demand().cpuMillis();
                f[1] += r.demand().memoryMiB();
                f[2] += r.demand().diskGiB();
                f[3] += r.demand().gpus();
                for (String g : groups(r)) {
                    groupHosts.get(g).remove(key);
                }
            }
        }

        static List<String> groups(PlacementRequest r) {
            List<String> g = new ArrayList<>();
            if (r.constraints().affinityGroup() != null) {
                g.add(r.constraints().affinityGroup());
            }
            if (r.constraints().antiAffinityGroup() != null) {
                g.add(r.constraints().antiAffinityGroup());
            }
            return g;
        }

        void assertEngineAgrees(PlacementEngine engine) {
            for (Map.Entry<String, Host> e : hosts.entrySet()) {
                long[] f = free.get(e.getKey());
                assertThat(engine.free(e.getValue().cloudId(), e.getValue().name())).as("free on %s", e.getKey())
                        .isEqualTo(new Resources(f[0], f[1], f[2], f[3]));
            }
        }
    }

    @Property(tries = 400)
    void placementsKeepEveryHardConstraintAndAreNeverRefusedWhenSomethingFits(@ForAll("scenarios") Scenario s) {
        PlacementEngine engine = new PlacementEngine(s.clouds(), s.hosts(), null);
        Model model = new Model(s);
        for (Step step : s.steps()) {
            PlacementRequest r = step.request();
            String misuse = model.groupMisuse(r);
            if (misuse != null) {
                assertThatThrownBy(() -> engine.place(r, step.dryRun())).isInstanceOfSatisfying(TianshuException.class,
                        e -> assertThat(e.field()).isEqualTo(misuse));
                model.assertEngineAgrees(engine);
                continue;
            }
            boolean feasible = model.feasible(r);
            PlacementRequest flipped = new PlacementRequest(r.departmentId(), r.demand(), r.count(), r.constraints(), r.preferences(),
                    !r.explainHosts());
            Placement preview = engine.place(flipped, true);
            Placement p = engine.place(r, step.dryRun());

            assertThat(preview.decision()).as("a dry run (host verdicts %s) shows what the placement does", flipped.explainHosts())
                    .isEqualTo(p.decision());
            assertThat(preview.explanation().clouds()).extracting(CloudVerdict::cloudId, CloudVerdict::rejectedBy, CloudVerdict::score)
                    .isEqualTo(p.explanation().clouds().stream().map(v -> org.assertj.core.groups.Tuple.tuple(v.cloudId(), v.rejectedBy(),
                            v.score())).toList());

            assertThat(p.outcome()).as("outcome of %s", r)
                    .isEqualTo(!feasible ? Outcome.REFUSED : step.dryRun() ? Outcome.FEASIBLE : Outcome.PLACED);
            assertExplanationConsistent(model, r, p);
            if (p.outcome() == Outcome.PLACED) {
                List<String> assignment = p.decision().stream().map(m -> m.cloudId() + "/" + m.host()).toList();
                assertThat(model.valid(r, assignment)).as("decision %s for %s", assignment, r).isTrue();
                model.hold(p.reservationId(), r, assignment);
            } else if (p.outcome() == Outcome.FEASIBLE) {
                assertThat(model.valid(r, p.decision().stream().map(m -> m.cloudId() + "/" + m.host()).toList())).isTrue();
                assertThat(p.reservationId()).isNull();
            }
            model.assertEngineAgrees(engine);
            if (!model.held.isEmpty() && step.releaseDraw() < 0.3) {
                String id = new ArrayList<>(model.held.keySet()).get((int) (step.releaseDraw() * 10) % model.held.size());
                engine.release(id);
                model.release(id);
                model.assertEngineAgrees(engine);
            }
        }
        for (String id : new ArrayList<>(model.held.keySet())) {
            engine.release(id);
            model.release(id);
        }
        model.assertEngineAgrees(engine);
        assertThat(engine.reservations()).isZero();
    }

    /**
     * A request that weighs spread goes to a host in use whenever one meets every constraint and fits: it opens an
     * empty host only when no host in use can take it.
     */
    @Property(tries = 300)
    void spreadOpensAnEmptyHostOnlyWhenNoHostInUseFits(@ForAll("scenarios") Scenario s) {
        PlacementEngine engine = new PlacementEngine(s.clouds(), s.hosts(), null);
        Model model = new Model(s);
        for (Step step : s.steps()) {
            PlacementRequest g = step.request();
            PlacementRequest r = new PlacementRequest(g.departmentId(), g.demand(), 1, g.constraints(),
                    new Preferences(g.preferences().pack(), 1 + g.preferences().spread(), 0, 0, 0), false);
            if (model.groupMisuse(r) != null) {
                continue;
            }
            Placement p = engine.place(r, false);
            if (p.outcome() != Outcome.PLACED) {
                continue;
            }
            String key = p.decision().get(0).cloudId() + "/" + p.decision().get(0).host();
            if (!model.inUse(key)) {
                assertThat(model.hosts.keySet()).as("%s opened %s", r, key).filteredOn(model::inUse)
                        .noneMatch(k -> model.valid(r, List.of(k)));
            }
            model.hold(p.reservationId(), r, List.of(key));
        }
    }

    /**
     * The headroom index (a cursor over each cloud's empty hosts, largest first, GPU hosts last) always names the
     * memory of the largest host that is up and never held anything, against the province's largest host.
     */
    @Property(tries = 300)
    void headroomIsTheLargestUpHostThatNeverHeldAnything(@ForAll("scenarios") Scenario s) {
        PlacementEngine engine = new PlacementEngine(s.clouds(), s.hosts(), null);
        Model model = new Model(s);
        Set<String> used = new HashSet<>();
        s.hosts().stream().filter(h -> !h.allocated().equals(Resources.ZERO)).forEach(h -> used.add(Model.key(h)));
        assertHeadroom(engine, model, used);
        for (Step step : s.steps()) {
            Placement p;
            try {
                p = engine.place(step.request(), step.dryRun());
            } catch (TianshuException e) {
                continue;
            }
            if (p.outcome() == Outcome.PLACED) {
                p.decision().forEach(m -> used.add(m.cloudId() + "/" + m.host()));
                if (step.releaseDraw() < 0.3) {
                    engine.release(p.reservationId());
                }
            }
            assertHeadroom(engine, model, used);
        }
    }

    private static void assertHeadroom(PlacementEngine engine, Model model, Set<String> used) {
        long maxMem = Math.max(1, model.hosts.values().stream()
                .mapToLong(h -> engine.effectiveCapacity(h.cloudId(), h.name()).memoryMiB()).max().orElse(1));
        for (Cloud c : model.clouds.values()) {
            long best = 0;
            for (boolean gpu : new boolean[] {false, true}) {
                if (best == 0) {
                    best = model.hosts.values().stream().filter(h -> h.cloudId().equals(c.id()) && h.up() && Model.settingsValid(c)
                            && !used.contains(Model.key(h)) && (h.capacity().gpus() > 0) == gpu)
                            .mapToLong(h -> engine.effectiveCapacity(h.cloudId(), h.name()).memoryMiB()).max().orElse(0);
                }
            }
            assertThat(engine.headroom(c.id())).as("headroom of %s", c.id()).isEqualTo(best / (double) maxMem);
        }
    }

    private static void assertExplanationConsistent(Model model, PlacementRequest r, Placement p) {
        List<CloudVerdict> verdicts = p.explanation().clouds();
        assertThat(verdicts).extracting(CloudVerdict::cloudId).containsExactlyElementsOf(new TreeSet<>(model.clouds.keySet()));
        assertThat(verdicts.stream().mapToInt(CloudVerdict::members).sum()).isEqualTo(p.decision().size());
        for (CloudVerdict v : verdicts) {
            Constraint cloudLevel = model.cloudRejects(r, model.clouds.get(v.cloudId()));
            if (cloudLevel != null) {
                assertThat(v.rejectedBy()).as("verdict of %s", v.cloudId()).isEqualTo(cloudLevel);
            } else {
                boolean someHost = model.hosts.values().stream()
                        .anyMatch(h -> h.cloudId().equals(v.cloudId()) && model.hostAllowed(r, h) && model.valid(r, List.of(Model.key(h))));
                boolean together = r.constraints().affinityGroup() != null;
                boolean hostFitsFirst = together
                        ? model.hosts.values().stream().anyMatch(h -> h.cloudId().equals(v.cloudId())
                                && model.valid(r, java.util.Collections.nCopies(r.count(), Model.key(h))))
                        : someHost;
                assertThat(v.eligible()).as("verdict of %s: %s", v.cloudId(), v).isEqualTo(hostFitsFirst);
            }
            if (!v.eligible()) {
                assertThat(v.members()).isZero();
                assertThat(v.reason()).isNotBlank();
            }
        }
        if (p.outcome() == Outcome.REFUSED) {
            assertThat(p.decision()).isEmpty();
            assertThat(p.explanation().refusedBy()).isNotNull();
            assertThat(p.reservationId()).isNull();
        } else {
            assertThat(p.decision()).hasSize(r.count()).extracting(MemberPlacement::member)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, r.count()).boxed().toList());
            assertThat(p.explanation().refusedBy()).isNull();
        }
        if (r.explainHosts()) {
            assertThat(p.explanation().hosts()).hasSize((int) model.hosts.values().stream()
                    .filter(h -> model.cloudRejects(r, model.clouds.get(h.cloudId())) == null && !model.pinnedElsewhere(r, h.cloudId()))
                    .count());
            for (var hv : p.explanation().hosts()) {
                long placedHere = p.decision().stream().filter(m -> m.cloudId().equals(hv.cloudId()) && m.host().equals(hv.host())).count();
                assertThat(hv.members()).isEqualTo((int) placedHere);
                if (placedHere > 0) {
                    assertThat(hv.rejectedBy()).isNull();
                }
            }
        } else {
            assertThat(p.explanation().hosts()).isEmpty();
        }
    }

    @Property(tries = 200)
    void quotaIsNeverExceededAndItsRefusalReservesNothing(@ForAll("scenarios") Scenario s,
            @ForAll("limits") int instanceLimit) {
        Fixtures.MemoryQuota quota = new Fixtures.MemoryQuota();
        quota.limits.put("dept-0", new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, instanceLimit});
        quota.limits.put("dept-1", new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, instanceLimit});
        PlacementEngine engine = new PlacementEngine(s.clouds(), s.hosts(), quota);
        Model model = new Model(s);
        for (Step step : s.steps()) {
            PlacementRequest r = step.request();
            if (model.groupMisuse(r) != null) {
                continue;
            }
            Placement p = engine.place(r, false);
            if (p.outcome() == Outcome.PLACED) {
                model.hold(p.reservationId(), r, p.decision().stream().map(m -> m.cloudId() + "/" + m.host()).toList());
            }
            if (p.explanation().refusedBy() == Constraint.QUOTA) {
                assertThat(quota.used(r.departmentId(), 4) + r.count()).isGreaterThan(instanceLimit);
            }
            model.assertEngineAgrees(engine);
            assertThat(quota.used("dept-0", 4)).isLessThanOrEqualTo(instanceLimit);
            assertThat(quota.used("dept-1", 4)).isLessThanOrEqualTo(instanceLimit);
            assertThat(quota.held).hasSameSizeAs(model.held.values().stream()
                    .flatMap(a -> a.stream().map(k -> model.hosts.get(k).cloudId()).distinct()).toList());
        }
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.integers().between(0, 6);
    }

    @Property(tries = 200)
    void badInputIsInvalidNamingTheFieldAndReservesNothing(@ForAll("scenarios") Scenario s, @ForAll("badKinds") int kind) {
        PlacementEngine engine = new PlacementEngine(s.clouds(), s.hosts(), null);
        Model model = new Model(s);
        for (Step step : s.steps()) {
            if (model.groupMisuse(step.request()) != null) {
                continue;
            }
            Placement p = engine.place(step.request(), false);
            if (p.outcome() == Outcome.PLACED) {
                model.hold(p.reservationId(), step.request(), p.decision().stream().map(m -> m.cloudId() + "/" + m.host()).toList());
            }
        }
        PlacementRequest base = s.steps().get(0).request();
        PlacementConstraints c = base.constraints();
        Resources d = base.demand();
        String field;
        PlacementRequest bad;
        switch (kind) {
            case 0 -> {
                field = "demand.cpuMillis";
                bad = new PlacementRequest(base.departmentId(), new Resources(-1 - d.cpuMillis(), d.memoryMiB(), 0, 0), 1, c, null, false);
            }
            case 1 -> {
                field = "constraints.allowedClouds";
                bad = new PlacementRequest(base.departmentId(), d, base.count(), new PlacementConstraints(Set.of("nowhere"),
                        c.minSecurityZone(), c.xinchuang(), c.residency(), c.zones(), c.affinityGroup(), c.antiAffinityGroup(),
                        c.spreadZones(), c.gpuType()), null, false);
            }
            case 2 -> {
                field = "constraints.zones";
                bad = new PlacementRequest(base.departmentId(), d, base.count(), new PlacementConstraints(c.allowedClouds(),
                        c.minSecurityZone(), c.xinchuang(), c.residency(), Set.of("az-unknown"), c.affinityGroup(),
                        c.antiAffinityGroup(), c.spreadZones(), c.gpuType()), null, false);
            }
            case 3 -> {
                field = "constraints.antiAffinityGroup";
                bad = new PlacementRequest(base.departmentId(), d, base.count(), new PlacementConstraints(c.allowedClouds(),
                        c.minSecurityZone(), c.xinchuang(), c.residency(), c.zones(), "g1", "g1", false, c.gpuType()), null, false);
            }
            case 4 -> {
                field = "constraints.residency";
                bad = new PlacementRequest(base.departmentId(), d, base.count(), new PlacementConstraints(c.allowedClouds(),
                        c.minSecurityZone(), c.xinchuang(), "lhasa", c.zones(), c.affinityGroup(), c.antiAffinityGroup(),
                        c.spreadZones(), c.gpuType()), null, false);
            }
            default -> {
                field = "count";
                bad = new PlacementRequest(base.departmentId(), d, -kind, c, null, false);
            }
        }
        int before = engine.reservations();
        assertThatThrownBy(() -> engine.place(bad, false)).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
            assertThat(e.field()).isEqualTo(field);
        });
        assertThat(engine.reservations()).isEqualTo(before);
        model.assertEngineAgrees(engine);
    }

    @Provide
    Arbitrary<Integer> badKinds() {
        return Arbitraries.integers().between(0, 5);
    }
}
