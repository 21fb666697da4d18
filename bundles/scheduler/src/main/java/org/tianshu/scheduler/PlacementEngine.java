package org.tianshu.scheduler;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.scheduling.CloudVerdict;
import org.tianshu.api.scheduling.Constraint;
import org.tianshu.api.scheduling.HostVerdict;
import org.tianshu.api.scheduling.MemberPlacement;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.Placement.Outcome;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.PlacementExplanation;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.PlacementScorer;
import org.tianshu.api.scheduling.Preferences;
import org.tianshu.api.scheduling.ScoringCriterion;
import org.tianshu.api.tenancy.QuotaService;

/**
 * The placement engine: an in-memory snapshot of every cloud and host, searched for each request with the hard
 * constraints first and the weighted scores second.
 *
 * <p>Concurrency: a search reads free capacity without locks; the chosen hosts are then claimed together under
 * their per-host locks, taken in host order, after re-checking that everything still fits. A claim that no
 * longer fits (a concurrent placement took the capacity) is dropped and the search runs again, so no host is
 * ever over-committed and a group is claimed whole or not at all. Requests naming the same affinity or
 * anti-affinity group are serialised on that group. The department's quota is reserved last; if it refuses,
 * the host claims are given back.
 */
public final class PlacementEngine {
    static final String[] DIMENSIONS = {"cpu", "memory", "disk", "gpus"};
    private static final String[] UNITS = {"m", " MiB", " GiB", ""};
    private static final int MAX_COUNT = 1000;
    /** Pack score of a host in use with nothing on it: above any empty host ({@link CloudState#emptyScore}). */
    static final double IN_USE = 0.6;
    /**
     * Share of a used host's pack score that goes to its cloud's {@link CloudState#headroom} rather than to how well the
     * request fits the host ({@link #ALIGN}): work that may go to several clouds is steered to the cloud that can still
     * open its largest hosts, so clouds that constrained work must use keep their large hosts for it.
     */
    static final double ROUTE = 0.85;
    /**
     * Share of a used host's fit that goes to how well the request's shape matches what the host has left (the cosine
     * of the CPU and memory shares asked and free, as in Tetris, Grandl et al. 2014) rather than to how full the host
     * gets (its dominant resource after placement): memory-heavy work goes to hosts whose CPU runs short, CPU-heavy
     * work to hosts whose memory does, so fewer hosts are left with one resource stranded.
     */
    static final double ALIGN = 0.9;

    private final QuotaService quotas;
    private final Map<ScoringCriterion, PlacementScorer> scorers = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock snapshotLock = new ReentrantReadWriteLock();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;

    /**
     * An engine over {@code clouds} and their {@code hosts} (hosts of unknown clouds are ignored);
     * {@code quotas} null places without quota (benchmarks, tests of the engine alone).
     */
    public PlacementEngine(Collection<Cloud> clouds, Collection<Host> hosts, QuotaService quotas) {
        this.quotas = quotas;
        this.snapshot = new Snapshot(clouds, hosts);
    }

    /** Uses {@code scorer} for its criterion, replacing any other. */
    public void addScorer(PlacementScorer scorer) {
        scorers.put(scorer.criterion(), scorer);
    }

    /** Stops using {@code scorer}. */
    public void removeScorer(PlacementScorer scorer) {
        scorers.remove(scorer.criterion(), scorer);
    }

    /**
     * Replaces the snapshot with fresh inventory; reservations still held are claimed again on the new snapshot
     * (they are released by their owners once the inventory accounts for their workloads).
     */
    public void refresh(Collection<Cloud> clouds, Collection<Host> hosts) {
        refresh(clouds, hosts, Set.of());
    }

    /**
     * As {@link #refresh(Collection, Collection)}, and settles the holds among {@code inInventory} (the request
     * ids of workloads the inventory reports): their hosts' allocation now counts them, so their capacity is no
     * longer claimed; their group memberships stay until they are released. Returns the ids settled now.
     */
    public Set<String> refresh(Collection<Cloud> clouds, Collection<Host> hosts, Set<String> inInventory) {
        Snapshot next = new Snapshot(clouds, hosts);
        Set<String> settled = new HashSet<>();
        snapshotLock.writeLock().lock();
        try {
            for (Map.Entry<String, Reservation> e : reservations.entrySet()) {
                Reservation r = e.getValue();
                if (r.hold && !r.settled && inInventory.contains(e.getKey())) {
                    e.setValue(r.settle());
                    settled.add(e.getKey());
                }
            }
            for (Reservation r : reservations.values()) {
                if (r.settled) {
                    continue;
                }
                for (Map.Entry<String, long[]> e : r.claims.entrySet()) {
                    Slot s = next.byKey.get(e.getKey());
                    if (s != null) {
                        s.add(e.getValue(), -1);
                        s.cloud.listInUse(s.local);
                    }
                }
            }
            snapshot = next;
        } finally {
            snapshotLock.writeLock().unlock();
        }
        return settled;
    }

    /**
     * Takes back a reservation kept from before a restart: claims its capacity (unless settled) on the current
     * snapshot, whether or not it still fits, and its group memberships.
     */
    public void restore(String id, Reservation r) {
        snapshotLock.readLock().lock();
        try {
            if (reservations.putIfAbsent(id, r) != null) {
                return;
            }
            if (!r.settled) {
                for (Map.Entry<String, long[]> e : r.claims.entrySet()) {
                    Slot s = snapshot.byKey.get(e.getKey());
                    if (s != null) {
                        s.lock.lock();
                        try {
                            s.add(e.getValue(), -1);
                        } finally {
                            s.lock.unlock();
                        }
                        s.cloud.listInUse(s.local);
                    }
                }
            }
        } finally {
            snapshotLock.readLock().unlock();
        }
        join(r);
    }

    /**
     * Re-keys reservation {@code id} from host key {@code from} to {@code to} (its workload moved): group
     * memberships follow, and so does the claimed capacity unless the reservation is settled. Returns the new
     * reservation, or null if there is none or it holds nothing on {@code from}.
     */
    public Reservation moved(String id, String from, String to) {
        Reservation r;
        snapshotLock.readLock().lock();
        try {
            r = reservations.get(id == null ? "" : id);
            if (r == null || !r.claims.containsKey(from) || from.equals(to)) {
                return null;
            }
            Map<String, long[]> claims = new HashMap<>(r.claims);
            long[] d = claims.remove(from);
            claims.merge(to, d, (a, b) -> {
                long[] sum = a.clone();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += b[i];
                }
                return sum;
            });
            if (!r.settled) {
                unclaim(snapshot, Map.of(from, d));
                Slot s = snapshot.byKey.get(to);
                if (s != null) {
                    s.lock.lock();
                    try {
                        s.add(d, -1);
                    } finally {
                        s.lock.unlock();
                    }
                    s.cloud.listInUse(s.local);
                }
            }
            Reservation next = new Reservation(r.departmentId, claims, r.quotaRequests, r.affinityGroup, r.antiAffinityGroup,
                    r.hold, r.settled, r.createdAt);
            reservations.put(id, next);
            r = next;
            for (String name : r.groupNames()) {
                Group g = groups.get(name);
                g.lock.lock();
                try {
                    int n = (int) d[4];
                    g.hosts.computeIfPresent(from, (k, m) -> m - n <= 0 ? null : m - n);
                    g.hosts.merge(to, n, Integer::sum);
                } finally {
                    g.lock.unlock();
                }
            }
        } finally {
            snapshotLock.readLock().unlock();
        }
        return r;
    }

    /** Reservation {@code id}, null if none. */
    public Reservation reservation(String id) {
        return reservations.get(id == null ? "" : id);
    }

    /** Every reservation held, by id. */
    public Map<String, Reservation> reservationsById() {
        return Map.copyOf(reservations);
    }

    private void join(Reservation r) {
        for (String name : r.groupNames()) {
            Group g = groups.computeIfAbsent(name, k -> new Group());
            g.lock.lock();
            try {
                g.affinity = name.equals(r.affinityGroup);
                for (Map.Entry<String, long[]> e : r.claims.entrySet()) {
                    g.hosts.merge(e.getKey(), (int) e.getValue()[4], Integer::sum);
                }
            } finally {
                g.lock.unlock();
            }
        }
    }

    /** Free capacity of a host after overcommit and reservations, or null if the snapshot has no such host. */
    public Resources free(String cloudId, String host) {
        Slot s = snapshot.byKey.get(cloudId + "/" + host);
        return s == null ? null : new Resources(s.free(0), s.free(1), s.free(2), s.free(3));
    }

    /** Capacity of a host after the cloud's overcommit ratios, or null if the snapshot has no such host. */
    public Resources effectiveCapacity(String cloudId, String host) {
        Slot s = snapshot.byKey.get(cloudId + "/" + host);
        return s == null ? null : new Resources(s.cap(0), s.cap(1), s.cap(2), s.cap(3));
    }

    /** {@link CloudState#headroom} of cloud {@code cloudId}, NaN if the snapshot has no such cloud. */
    double headroom(String cloudId) {
        CloudState cs = snapshot.byId.get(cloudId);
        return cs == null ? Double.NaN : cs.headroom;
    }

    /** The department that holds reservation {@code id}; NOT_FOUND naming {@code reservationId} otherwise. */
    public String departmentOf(String id) {
        Reservation r = reservations.get(id == null ? "" : id);
        if (r == null) {
            throw TianshuException.notFound("reservationId", "reservation", id);
        }
        return r.departmentId;
    }

    /** Number of reservations held. */
    public int reservations() {
        return reservations.size();
    }

    /** Gives back the host capacity, group membership and quota of reservation {@code id}; NOT_FOUND if unknown. */
    public void release(String id) {
        Reservation r;
        snapshotLock.readLock().lock();
        try {
            r = reservations.remove(id == null ? "" : id);
            if (r == null) {
                throw TianshuException.notFound("reservationId", "reservation", id);
            }
            if (!r.settled) {
                unclaim(snapshot, r.claims);
            }
        } finally {
            snapshotLock.readLock().unlock();
        }
        for (String name : r.groupNames()) {
            Group g = groups.get(name);
            g.lock.lock();
            try {
                for (Map.Entry<String, long[]> e : r.claims.entrySet()) {
                    g.hosts.computeIfPresent(e.getKey(), (k, n) -> n - (int) e.getValue()[4] <= 0 ? null : n - (int) e.getValue()[4]);
                }
            } finally {
                g.lock.unlock();
            }
        }
        if (quotas != null) {
            r.quotaRequests.forEach(quotas::release);
        }
    }

    /**
     * Places {@code request}, or on a dry run says where it would go. INVALID naming the field for bad input;
     * nothing is reserved then, nor when the answer is {@link Outcome#REFUSED}.
     */
    public Placement place(PlacementRequest request, boolean dryRun) {
        return place(request, dryRun, null);
    }

    /**
     * Places one workload that lives in one cloud and holds its hosts' capacity under {@code holdId}, without
     * quota (the caller reserves it). A group is tried cloud by cloud in the order of the single member's scores;
     * the explanation keeps those per-cloud verdicts. CONFLICT naming {@code holdId} if it is held already.
     */
    public Placement hold(PlacementRequest request, String holdId) {
        Validation.required("holdId", holdId);
        if (reservations.containsKey(holdId)) {
            throw TianshuException.conflict("holdId", "hold '" + holdId + "' is already held");
        }
        if (request != null && request.count() > 1) {
            PlacementRequest one = new PlacementRequest(request.departmentId(), request.demand(), 1, request.constraints(),
                    request.preferences(), false);
            Placement ranking = place(one, true, null);
            List<CloudVerdict> order = ranking.explanation().clouds().stream().filter(CloudVerdict::eligible)
                    .sorted(Comparator.comparingDouble(CloudVerdict::score).reversed()).toList();
            Placement last = null;
            for (CloudVerdict v : order) {
                PlacementConstraints c = request.constraints();
                PlacementRequest inCloud = new PlacementRequest(request.departmentId(), request.demand(), request.count(),
                        new PlacementConstraints(Set.of(v.cloudId()), c.minSecurityZone(), c.xinchuang(), c.residency(),
                                c.zones(), c.affinityGroup(), c.antiAffinityGroup(), c.spreadZones(), c.gpuType()),
                        request.preferences(), false);
                last = place(inCloud, false, holdId);
                if (last.outcome() == Outcome.PLACED) {
                    return new Placement(Outcome.PLACED, holdId, last.decision(), new PlacementExplanation(
                            last.explanation().summary(), null, ranking.explanation().clouds(), List.of()));
                }
            }
            String why = last == null ? ranking.explanation().summary()
                    : "no single cloud can take all " + request.count() + " members; last tried: " + last.explanation().summary();
            Constraint refusedBy = last == null ? ranking.explanation().refusedBy() : last.explanation().refusedBy();
            return new Placement(Outcome.REFUSED, null, List.of(),
                    new PlacementExplanation(why, refusedBy, ranking.explanation().clouds(), List.of()));
        }
        return place(request, false, holdId);
    }

    private Placement place(PlacementRequest given, boolean dryRun, String holdId) {
        if (given == null) {
            throw TianshuException.invalid("request", "request is required");
        }
        PlacementRequest request = given.with(given.constraints(), Preferences.PACK);
        snapshotLock.readLock().lock();
        try {
            Snapshot snap = snapshot;
            validate(request, snap);
            PlacementConstraints c = request.constraints();
            List<Group> locked = new ArrayList<>(2);
            for (String name : new java.util.TreeSet<>(groupNames(c.affinityGroup(), c.antiAffinityGroup()))) {
                Group g = groups.computeIfAbsent(name, k -> new Group());
                g.lock.lock();
                locked.add(g);
            }
            try {
                return placeLocked(request, dryRun, snap, holdId);
            } finally {
                for (Group g : locked) {
                    g.lock.unlock();
                }
            }
        } finally {
            snapshotLock.readLock().unlock();
        }
    }

    private Placement placeLocked(PlacementRequest request, boolean dryRun, Snapshot snap, String holdId) {
        PlacementConstraints c = request.constraints();
        kind(c.affinityGroup(), true, "constraints.affinityGroup");
        kind(c.antiAffinityGroup(), false, "constraints.antiAffinityGroup");
        while (true) {
            Search s = new Search(request, snap);
            Plan plan = s.run();
            if (plan.slots == null || dryRun) {
                return s.answer(plan, dryRun ? Outcome.FEASIBLE : Outcome.REFUSED, null, null, null);
            }
            Map<Slot, long[]> claims = plan.claims(s.memberNeed);
            if (!claim(claims)) {
                continue;
            }
            String id = holdId != null ? holdId : UUID.randomUUID().toString();
            List<String> quotaRequests = new ArrayList<>();
            if (quotas != null && holdId == null) {
                Map<String, long[]> perCloud = new LinkedHashMap<>();
                for (Map.Entry<Slot, long[]> e : claims.entrySet()) {
                    long[] sum = perCloud.computeIfAbsent(e.getKey().cloud.cloud.id(), k -> new long[5]);
                    for (int i = 0; i < 5; i++) {
                        sum[i] += e.getValue()[i];
                    }
                }
                try {
                    for (Map.Entry<String, long[]> e : perCloud.entrySet()) {
                        String qid = quotaRequests.isEmpty() ? id : UUID.randomUUID().toString();
                        long[] d = e.getValue();
                        quotas.reserve(qid, request.departmentId(), e.getKey(), new Resources(d[0], d[1], d[2], d[3]), d[4]);
                        quotaRequests.add(qid);
                    }
                } catch (RuntimeException ex) {
                    quotaRequests.forEach(quotas::release);
                    unclaim(snap, keyed(claims));
                    if (ex instanceof TianshuException te && te.kind() == TianshuException.Kind.CONFLICT) {
                        return s.answer(plan, Outcome.REFUSED, Constraint.QUOTA, te.getMessage(), null);
                    }
                    throw ex;
                }
            }
            Reservation r = new Reservation(request.departmentId(), keyed(claims), quotaRequests, c.affinityGroup(),
                    c.antiAffinityGroup(), holdId != null, false, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            if (reservations.putIfAbsent(id, r) != null) {
                unclaim(snap, r.claims);
                throw TianshuException.conflict("holdId", "hold '" + id + "' is already held");
            }
            join(r);
            return s.answer(plan, Outcome.PLACED, null, null, id);
        }
    }

    /** A group name means affinity or anti-affinity while it has members; INVALID naming {@code field} if used as the other. */
    private void kind(String name, boolean affinity, String field) {
        Group g = name == null ? null : groups.get(name);
        if (g != null && !g.hosts.isEmpty() && g.affinity != affinity) {
            throw TianshuException.invalid(field, "group '" + name + "' is " + (affinity ? "an anti-affinity" : "an affinity")
                    + " group while it has members");
        }
    }

    private static List<String> groupNames(String affinityGroup, String antiAffinityGroup) {
        List<String> names = new ArrayList<>(2);
        if (affinityGroup != null) {
            names.add(affinityGroup);
        }
        if (antiAffinityGroup != null) {
            names.add(antiAffinityGroup);
        }
        return names;
    }

    private static Map<String, long[]> keyed(Map<Slot, long[]> claims) {
        Map<String, long[]> m = new HashMap<>();
        claims.forEach((s, d) -> m.put(s.key, d));
        return m;
    }

    /** Claims every host of {@code claims} or none: locks in host order, re-checks, applies. */
    private static boolean claim(Map<Slot, long[]> claims) {
        Slot[] order = claims.keySet().toArray(new Slot[0]);
        Arrays.sort(order, Comparator.comparingInt(s -> s.index));
        int locked = 0;
        try {
            for (Slot s : order) {
                s.lock.lock();
                locked++;
                if (!s.up || !s.fits(claims.get(s))) {
                    return false;
                }
            }
            for (Slot s : order) {
                s.add(claims.get(s), -1);
            }
            for (Slot s : order) {
                s.cloud.listInUse(s.local);
            }
            return true;
        } finally {
            for (int i = 0; i < locked; i++) {
                order[i].lock.unlock();
            }
        }
    }

    private static void unclaim(Snapshot snap, Map<String, long[]> claims) {
        for (Map.Entry<String, long[]> e : claims.entrySet()) {
            Slot s = snap.byKey.get(e.getKey());
            if (s != null) {
                s.lock.lock();
                try {
                    s.add(e.getValue(), 1);
                } finally {
                    s.lock.unlock();
                }
            }
        }
    }

    private static void validate(PlacementRequest r, Snapshot snap) {
        Validation.id("departmentId", r.departmentId());
        Resources d = r.demand();
        if (d == null) {
            throw TianshuException.invalid("demand", "demand is required");
        }
        Validation.nonNegative("demand.cpuMillis", d.cpuMillis());
        Validation.nonNegative("demand.memoryMiB", d.memoryMiB());
        Validation.nonNegative("demand.diskGiB", d.diskGiB());
        Validation.nonNegative("demand.gpus", d.gpus());
        if (d.equals(Resources.ZERO)) {
            throw TianshuException.invalid("demand", "demand must ask for some cpu, memory, disk or gpus");
        }
        if (r.count() < 1 || r.count() > MAX_COUNT) {
            throw TianshuException.invalid("count", "count must be from 1 to " + MAX_COUNT + ", got " + r.count());
        }
        PlacementConstraints c = r.constraints();
        for (String cloud : c.allowedClouds()) {
            if (!snap.byId.containsKey(cloud)) {
                throw TianshuException.invalid("constraints.allowedClouds", "unknown cloud '" + cloud + "'");
            }
        }
        if (c.minSecurityZone() < 1 || c.minSecurityZone() > 4) {
            throw TianshuException.invalid("constraints.minSecurityZone",
                    "minSecurityZone must be an MLPS level from 1 to 4, got " + c.minSecurityZone());
        }
        if (!c.anyCity() && !snap.cities.contains(c.residency())) {
            throw TianshuException.invalid("constraints.residency", "no cloud is in city '" + c.residency()
                    + "'; use a city of an onboarded cloud or '" + PlacementConstraints.PROVINCE + "'");
        }
        for (String zone : c.zones()) {
            if (!snap.zones.contains(zone)) {
                throw TianshuException.invalid("constraints.zones", "unknown availability zone '" + zone + "'");
            }
        }
        if (c.gpuType() != null) {
            if (!snap.gpuTypes.contains(c.gpuType())) {
                throw TianshuException.invalid("constraints.gpuType", "no host reports GPU type '" + c.gpuType() + "'");
            }
            if (d.gpus() == 0) {
                throw TianshuException.invalid("constraints.gpuType", "gpuType '" + c.gpuType() + "' needs demand.gpus > 0");
            }
        }
        if (c.affinityGroup() != null) {
            Validation.id("constraints.affinityGroup", c.affinityGroup());
        }
        if (c.antiAffinityGroup() != null) {
            Validation.id("constraints.antiAffinityGroup", c.antiAffinityGroup());
        }
        if (c.affinityGroup() != null && c.affinityGroup().equals(c.antiAffinityGroup())) {
            throw TianshuException.invalid("constraints.antiAffinityGroup", "group '" + c.affinityGroup()
                    + "' cannot be both the affinity and the anti-affinity group of one request");
        }
        if (c.affinityGroup() != null && c.spreadZones() && r.count() > 1) {
            throw TianshuException.invalid("constraints.spreadZones",
                    "members of affinity group '" + c.affinityGroup() + "' share one host, so they cannot spread across zones");
        }
        if (c.affinityGroup() != null && c.antiAffinityGroup() != null && r.count() > 1) {
            throw TianshuException.invalid("constraints.antiAffinityGroup", "the " + r.count() + " members share a host (affinity group '"
                    + c.affinityGroup() + "') so they cannot also keep apart (anti-affinity group '" + c.antiAffinityGroup() + "')");
        }
        weights(r.preferences());
    }

    /** INVALID naming the {@code preferences} weight that is negative or not finite. */
    static void weights(Preferences p) {
        weight("preferences.pack", p.pack());
        weight("preferences.spread", p.spread());
        weight("preferences.cost", p.cost());
        weight("preferences.energy", p.energy());
        weight("preferences.latency", p.latency());
    }

    private static void weight(String field, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw TianshuException.invalid(field, field + " must be a finite weight of zero or more, got " + w);
        }
    }

    static String amount(int dim, long v) {
        return v + UNITS[dim] + " " + DIMENSIONS[dim];
    }

    /** The clouds and hosts the engine places onto. */
    static final class Snapshot {
        final List<CloudState> clouds = new ArrayList<>();
        final Map<String, CloudState> byId = new HashMap<>();
        final Map<String, Slot> byKey = new HashMap<>();
        final Set<String> cities = new HashSet<>();
        final Set<String> zones = new HashSet<>();
        final Set<String> gpuTypes = new HashSet<>();
        final long maxMem;

        Snapshot(Collection<Cloud> clouds, Collection<Host> hosts) {
            clouds.stream().sorted(Comparator.comparing(Cloud::id)).forEach(c -> {
                CloudState cs = new CloudState(c);
                this.clouds.add(cs);
                byId.put(c.id(), cs);
                if (c.city() != null) {
                    cities.add(c.city());
                }
            });
            Map<String, List<Host>> perCloud = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (Host h : hosts) {
                if (byId.containsKey(h.cloudId()) && seen.add(h.cloudId() + "/" + h.name())) {
                    perCloud.computeIfAbsent(h.cloudId(), k -> new ArrayList<>()).add(h);
                    if (h.zone() != null) {
                        zones.add(h.zone());
                    }
                    if (h.gpuType() != null) {
                        gpuTypes.add(h.gpuType());
                    }
                }
            }
            int index = 0;
            long max = 1;
            for (CloudState cs : this.clouds) {
                cs.hosts(perCloud.getOrDefault(cs.cloud.id(), List.of()), index);
                index += cs.slots.length;
                for (Slot s : cs.slots) {
                    byKey.put(s.key, s);
                    max = Math.max(max, s.cap(1));
                }
            }
            for (CloudState cs : this.clouds) {
                cs.orderEmpty(max);
            }
            maxMem = max;
        }
    }

    /** Members of an affinity or anti-affinity group: members per host key. Guarded by {@link #lock}. */
    static final class Group {
        final ReentrantLock lock = new ReentrantLock();
        final Map<String, Integer> hosts = new HashMap<>();
        boolean affinity;
    }

    /**
     * What a placement holds: per host key cpu, memory, disk, gpus and member count; a hold settles once the
     * inventory reports its workload (its capacity is then no longer claimed, its group memberships stay).
     */
    public record Reservation(String departmentId, Map<String, long[]> claims, List<String> quotaRequests,
            String affinityGroup, String antiAffinityGroup, boolean hold, boolean settled, Instant createdAt) {
        List<String> groupNames() {
            return PlacementEngine.groupNames(affinityGroup, antiAffinityGroup);
        }

        Reservation settle() {
            return new Reservation(departmentId, claims, quotaRequests, affinityGroup, antiAffinityGroup, hold, true, createdAt);
        }
    }

    /** The hosts chosen for each member, or null slots when the request cannot be met. */
    static final class Plan {
        Slot[] slots;
        Constraint refusedBy;
        String reason;

        Map<Slot, long[]> claims(long[] need) {
            Map<Slot, long[]> m = new IdentityHashMap<>();
            for (Slot s : slots) {
                long[] d = m.computeIfAbsent(s, k -> new long[5]);
                for (int i = 0; i < 4; i++) {
                    d[i] += need[i];
                }
                d[4]++;
            }
            return m;
        }
    }

    /** What one cloud's hosts showed during the first member's search. */
    static final class CloudStats {
        Constraint furthest;
        double best = Double.NaN;
        Slot bestSlot;
        final int[] shortOn = new int[4];
        final long[] mostFree = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
    }

    /** One search: the cloud filter, then a scan of eligible hosts per member. */
    final class Search {
        final PlacementRequest request;
        final PlacementConstraints c;
        final Snapshot snap;
        final long[] need;
        final long[] memberNeed;
        final Constraint[] cloudRejected;
        final String[] cloudReason;
        final double[] cloudScore;
        final CloudStats[] stats;
        final List<HostVerdict> hostVerdicts;
        final Set<Slot> antiSlots = new HashSet<>();
        final String pinned;
        final Slot pinnedSlot;
        final Map<Slot, long[]> pending = new IdentityHashMap<>();
        final Set<Slot> taken = new HashSet<>();
        final Set<String> zonesTaken = new HashSet<>();
        final double wPack;
        final double wSpread;
        boolean zoneFilter;
        boolean anti;
        boolean inRequest;
        boolean hasPending;
        double cloudBest;
        double headroom;

        Search(PlacementRequest request, Snapshot snap) {
            this.request = request;
            this.c = request.constraints();
            this.snap = snap;
            Resources d = request.demand();
            boolean together = c.affinityGroup() != null;
            long k = together ? request.count() : 1;
            memberNeed = new long[] {d.cpuMillis(), d.memoryMiB(), d.diskGiB(), d.gpus()};
            need = new long[] {d.cpuMillis() * k, d.memoryMiB() * k, d.diskGiB() * k, d.gpus() * k};
            int n = snap.clouds.size();
            cloudRejected = new Constraint[n];
            cloudReason = new String[n];
            cloudScore = new double[n];
            stats = new CloudStats[n];
            hostVerdicts = request.explainHosts() ? new ArrayList<>() : null;
            if (c.antiAffinityGroup() != null) {
                for (String key : groups.get(c.antiAffinityGroup()).hosts.keySet()) {
                    Slot s = snap.byKey.get(key);
                    if (s != null) {
                        antiSlots.add(s);
                    }
                }
            }
            String p = null;
            if (together) {
                for (Map.Entry<String, Integer> e : groups.get(c.affinityGroup()).hosts.entrySet()) {
                    p = e.getKey();
                }
            }
            pinned = p;
            pinnedSlot = p == null ? null : snap.byKey.get(p);
            wPack = request.preferences().pack();
            wSpread = request.preferences().spread();
        }

        Plan run() {
            filterClouds();
            Plan plan = new Plan();
            int members = c.affinityGroup() != null ? 1 : request.count();
            Slot[] chosen = new Slot[members];
            for (int m = 0; m < members; m++) {
                Constraint[] furthest = new Constraint[1];
                Slot s = scan(m == 0, furthest);
                if (s == null) {
                    plan.refusedBy = m == 0 ? firstMemberRefusal() : groupRefusal(furthest[0]);
                    plan.reason = m == 0 ? firstMemberReason(plan.refusedBy) : groupReason(m, plan.refusedBy);
                    return plan;
                }
                chosen[m] = s;
                long[] p = pending.computeIfAbsent(s, k -> new long[4]);
                for (int i = 0; i < 4; i++) {
                    p[i] += need[i];
                }
                if (c.antiAffinityGroup() != null) {
                    taken.add(s);
                }
                if (c.spreadZones()) {
                    zonesTaken.add(s.zoneKey);
                }
            }
            if (c.affinityGroup() != null && request.count() > 1) {
                Slot[] all = new Slot[request.count()];
                Arrays.fill(all, chosen[0]);
                chosen = all;
            }
            plan.slots = chosen;
            return plan;
        }

        private void filterClouds() {
            for (int i = 0; i < snap.clouds.size(); i++) {
                CloudState cs = snap.clouds.get(i);
                Cloud cloud = cs.cloud;
                Constraint r = null;
                String why = null;
                if (!c.allowedClouds().isEmpty() && !c.allowedClouds().contains(cloud.id())) {
                    r = Constraint.ALLOWED_CLOUDS;
                    why = "not among the allowed clouds";
                } else if (cloud.securityZone() < c.minSecurityZone()) {
                    r = Constraint.SECURITY_ZONE;
                    why = "security zone MLPS " + cloud.securityZone() + " is below the required " + c.minSecurityZone();
                } else if (c.xinchuang() && !cloud.xinchuang()) {
                    r = Constraint.XINCHUANG;
                    why = "not a xinchuang cloud";
                } else if (!c.anyCity() && !c.residency().equals(cloud.city())) {
                    r = Constraint.RESIDENCY;
                    why = "in " + cloud.city() + ", data must stay in " + c.residency();
                } else if (!cs.usable()) {
                    r = Constraint.CLOUD_SETTINGS;
                    why = cs.settingsError;
                } else if (pinned != null && (pinnedSlot == null || pinnedSlot.cloud != cs)) {
                    r = Constraint.AFFINITY;
                    why = "affinity group '" + c.affinityGroup() + "' is on " + pinned;
                }
                cloudRejected[i] = r;
                cloudReason[i] = why;
                if (r == null) {
                    stats[i] = new CloudStats();
                    double score = 0;
                    for (ScoringCriterion sc : ScoringCriterion.values()) {
                        double w = request.preferences().weight(sc);
                        PlacementScorer scorer = w > 0 ? scorers.get(sc) : null;
                        if (scorer != null) {
                            score += w * Math.max(0, Math.min(1, scorer.score(request, cloud)));
                        }
                    }
                    cloudScore[i] = score;
                }
            }
        }

        /**
         * Best host for the next member; with {@code detailed}, fills the per-cloud stats and host verdicts. A host's
         * score is its cloud's weighted scorer sum plus, weighted, pack (a host in use scores 0.6 to 1: its cloud's
         * headroom for 85 % and the fit for 15 %, the fit being 90 % shape alignment, the cosine of the request's CPU
         * and memory shares of the host with the host's free shares, and 10 % best fit by its dominant resource, the
         * largest of CPU, memory and disk use after placement; an empty host 0.2 to 0.6 by its memory, so the largest
         * is opened first, and an empty GPU host a fifth of that for work without GPUs) and spread (idle = one minus
         * the load after placement, the mean of CPU and memory use: a host in use scores 0.6 to 1 by its idle share,
         * an empty host 0 to 0.59, so spread work goes to the least loaded host in use and opens an empty host only
         * when none in use fits). Ties go to the first host in snapshot order, so with every weight zero this is plain
         * first-fit.
         */
        private Slot scan(boolean detailed, Constraint[] furthest) {
            zoneFilter = !c.zones().isEmpty();
            anti = !antiSlots.isEmpty();
            inRequest = !taken.isEmpty() || !zonesTaken.isEmpty();
            hasPending = !pending.isEmpty();
            Slot best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int ci = 0; ci < cloudRejected.length; ci++) {
                if (cloudRejected[ci] == null) {
                    Slot s = scanCloud(snap.clouds.get(ci), cloudScore[ci], detailed ? stats[ci] : null, furthest);
                    if (s != null && cloudBest > bestScore) {
                        bestScore = cloudBest;
                        best = s;
                    }
                }
            }
            return best;
        }

        /**
         * Best host of one cloud (lowest index among equal scores), its score left in {@link #cloudBest}. Visits
         * every host when it must (host verdicts asked for, or spread weighed and no host in use fits); otherwise
         * relies on the score's tiers: with pack or spread a host in use always beats an empty one, so hosts in use
         * are scanned first; with pack alone empty hosts are ordered by a fixed score, so then empty ones until the
         * first that fits; with spread every empty host is scored; with no pack and no spread every host of the
         * cloud scores the same, so the first that fits wins.
         */
        private Slot scanCloud(CloudState cloud, double cs, CloudStats st, Constraint[] furthest) {
            cloudBest = Double.NEGATIVE_INFINITY;
            headroom = cloud.headroom;
            Slot best = null;
            if (hostVerdicts != null) {
                for (int hi = 0; hi < cloud.slots.length; hi++) {
                    double score = visit(cloud, hi, cs, st, furthest);
                    if (score > cloudBest) {
                        cloudBest = score;
                        best = cloud.slots[hi];
                    }
                }
                return best;
            }
            if (wPack == 0 && wSpread == 0) {
                for (int hi = 0; hi < cloud.slots.length; hi++) {
                    double score = visit(cloud, hi, cs, st, furthest);
                    if (score == score) {
                        cloudBest = score;
                        return cloud.slots[hi];
                    }
                }
                return null;
            }
            int[] listed = cloud.listed;
            int listedCount = Math.min(cloud.listedCount, listed.length);
            for (int i = 0; i < listedCount; i++) {
                int hi = listed[i];
                double score = visit(cloud, hi, cs, st, furthest);
                if (score > cloudBest || (score == cloudBest && hi < best.local)) {
                    cloudBest = score;
                    best = cloud.slots[hi];
                }
            }
            if (hasPending) {
                for (Slot p : pending.keySet()) {
                    if (p.cloud == cloud && !cloud.isListed[p.local]) {
                        double score = visit(cloud, p.local, cs, st, furthest);
                        if (score > cloudBest || (score == cloudBest && p.local < best.local)) {
                            cloudBest = score;
                            best = p;
                        }
                    }
                }
            }
            if (best != null && cloudBest - cs >= IN_USE * (wPack + wSpread)) {
                return best;
            }
            if (wSpread > 0) {
                for (int hi = 0; hi < cloud.slots.length; hi++) {
                    if (cloud.isListed[hi] || (hasPending && pending.containsKey(cloud.slots[hi]))) {
                        continue;
                    }
                    double score = visit(cloud, hi, cs, st, furthest);
                    if (score > cloudBest || (score == cloudBest && hi < best.local)) {
                        cloudBest = score;
                        best = cloud.slots[hi];
                    }
                }
                return best;
            }
            int[] order = need[3] > 0 ? cloud.emptyOrderGpu : cloud.emptyOrder;
            for (int hi : order) {
                if (cloud.isListed[hi] || (hasPending && pending.containsKey(cloud.slots[hi]))) {
                    continue;
                }
                double score = visit(cloud, hi, cs, st, furthest);
                if (score == score) {
                    if (score > cloudBest || (score == cloudBest && hi < best.local)) {
                        cloudBest = score;
                        best = cloud.slots[hi];
                    }
                    return best;
                }
            }
            return best;
        }

        /** Score of host {@code hi} of {@code cloud} for the next member, or NaN if a hard constraint rejects it. */
        private double visit(CloudState cloud, int hi, double cs, CloudStats st, Constraint[] furthest) {
            Slot s = cloud.slots[hi];
            long n0 = need[0];
            long n1 = need[1];
            long n2 = need[2];
            long n3 = need[3];
            Constraint fail = null;
            if (!s.up) {
                fail = Constraint.HOST_DOWN;
            } else if (zoneFilter && (s.host.zone() == null || !c.zones().contains(s.host.zone()))) {
                fail = Constraint.ZONE;
            } else if (c.gpuType() != null && !c.gpuType().equals(s.host.gpuType())) {
                fail = Constraint.GPU_TYPE;
            } else if (pinnedSlot != null && pinnedSlot != s) {
                fail = Constraint.AFFINITY;
            } else if ((anti && antiSlots.contains(s)) || (inRequest && taken.contains(s))) {
                fail = Constraint.ANTI_AFFINITY;
            } else if (inRequest && zonesTaken.contains(s.zoneKey)) {
                fail = Constraint.SPREAD_ZONES;
            }
            int b = 4 * hi;
            long[] free = cloud.free;
            long f0 = (long) CloudState.LONGS.getOpaque(free, b);
            long f1 = (long) CloudState.LONGS.getOpaque(free, b + 1);
            long f2 = (long) CloudState.LONGS.getOpaque(free, b + 2);
            long f3 = (long) CloudState.LONGS.getOpaque(free, b + 3);
            if (hasPending) {
                long[] p = pending.get(s);
                if (p != null) {
                    f0 -= p[0];
                    f1 -= p[1];
                    f2 -= p[2];
                    f3 -= p[3];
                }
            }
            if (fail == null && (f0 < n0 || f1 < n1 || f2 < n2 || f3 < n3)) {
                fail = Constraint.CAPACITY;
                if (st != null) {
                    st.shortOn[0] += f0 < n0 ? 1 : 0;
                    st.shortOn[1] += f1 < n1 ? 1 : 0;
                    st.shortOn[2] += f2 < n2 ? 1 : 0;
                    st.shortOn[3] += f3 < n3 ? 1 : 0;
                    st.mostFree[0] = Math.max(st.mostFree[0], f0);
                    st.mostFree[1] = Math.max(st.mostFree[1], f1);
                    st.mostFree[2] = Math.max(st.mostFree[2], f2);
                    st.mostFree[3] = Math.max(st.mostFree[3], f3);
                }
            }
            if (fail != null) {
                if (furthest[0] == null || fail.ordinal() > furthest[0].ordinal()) {
                    furthest[0] = fail;
                }
                if (st != null) {
                    if (st.furthest == null || fail.ordinal() > st.furthest.ordinal()) {
                        st.furthest = fail;
                    }
                    if (hostVerdicts != null) {
                        hostVerdicts.add(new HostVerdict(cloud.cloud.id(), s.host.name(), fail, hostReason(fail, s, f0, f1, f2, f3),
                                Double.NaN, 0));
                    }
                }
                return Double.NaN;
            }
            long[] cap = cloud.cap;
            long c0 = cap[b];
            long c1 = cap[b + 1];
            double cpuLoad = (c0 - f0 + n0) * cloud.invCpu[hi];
            double memLoad = (c1 - f1 + n1) * cloud.invMem[hi];
            double score = cs;
            boolean inUse = f0 < c0 || f1 < c1 || f2 < cap[b + 2] || f3 < cap[b + 3];
            if (wPack > 0) {
                if (inUse) {
                    double dominant = Math.max(Math.max(cpuLoad, memLoad), (cap[b + 2] - f2 + n2) * cloud.invDisk[hi]);
                    double dc = n0 * cloud.invCpu[hi];
                    double dm = n1 * cloud.invMem[hi];
                    double rc = f0 * cloud.invCpu[hi];
                    double rm = f1 * cloud.invMem[hi];
                    double align = (dc * rc + dm * rm) / Math.sqrt((dc * dc + dm * dm) * (rc * rc + rm * rm) + 1e-18);
                    double fit = (1 - ALIGN) * Math.min(1, dominant) + ALIGN * align;
                    score += wPack * (IN_USE + (1 - IN_USE) * ((1 - ROUTE) * fit + ROUTE * headroom));
                } else {
                    score += wPack * cloud.emptyScore(hi, n3 > 0);
                }
            }
            if (wSpread > 0) {
                double idle = 1 - (cpuLoad + memLoad) * 0.5;
                score += wSpread * (inUse ? IN_USE + (1 - IN_USE) * idle : (IN_USE - 0.01) * idle);
            }
            if (st != null) {
                if (st.bestSlot == null || score > st.best || (score == st.best && hi < st.bestSlot.local)) {
                    st.best = score;
                    st.bestSlot = s;
                }
                if (hostVerdicts != null) {
                    hostVerdicts.add(new HostVerdict(cloud.cloud.id(), s.host.name(), null, "score " + round(score), score, 0));
                }
            }
            return score;
        }

        private String hostReason(Constraint fail, Slot s, long f0, long f1, long f2, long f3) {
            return switch (fail) {
                case HOST_DOWN -> s.cloud.usable() ? "host is down" : s.cloud.settingsError;
                case ZONE -> "in zone " + s.host.zone() + ", allowed " + c.zones();
                case GPU_TYPE -> "GPU type " + s.host.gpuType() + ", needs " + c.gpuType();
                case AFFINITY -> "affinity group '" + c.affinityGroup() + "' is on " + pinned;
                case ANTI_AFFINITY -> "holds a member of anti-affinity group '" + c.antiAffinityGroup() + "'";
                case SPREAD_ZONES -> "zone " + s.zoneKey + " already holds a member";
                default -> shortage(new long[] {f0, f1, f2, f3});
            };
        }

        private String shortage(long[] free) {
            StringBuilder b = new StringBuilder("short of");
            for (int i = 0; i < 4; i++) {
                if (free[i] < need[i]) {
                    b.append(' ').append(DIMENSIONS[i]).append(" (needs ").append(amount(i, need[i])).append(", ")
                            .append(Math.max(0, free[i])).append(UNITS[i]).append(" free)");
                }
            }
            return b.toString();
        }

        private Constraint firstMemberRefusal() {
            Constraint furthest = null;
            for (int i = 0; i < cloudRejected.length; i++) {
                Constraint r = cloudRejected[i] != null ? cloudRejected[i] : stats[i].furthest == null ? Constraint.CAPACITY : stats[i].furthest;
                if (furthest == null || r.ordinal() > furthest.ordinal()) {
                    furthest = r;
                }
            }
            return furthest == null ? Constraint.CAPACITY : furthest;
        }

        private String firstMemberReason(Constraint refusedBy) {
            if (snap.clouds.isEmpty()) {
                return "no cloud is onboarded";
            }
            if (refusedBy != Constraint.CAPACITY) {
                return "no cloud can take it; the furthest any host got was the " + refusedBy + " constraint";
            }
            int[] shortOn = new int[4];
            long[] mostFree = {0, 0, 0, 0};
            for (CloudStats st : stats) {
                if (st != null) {
                    for (int i = 0; i < 4; i++) {
                        shortOn[i] += st.shortOn[i];
                        mostFree[i] = Math.max(mostFree[i], st.mostFree[i]);
                    }
                }
            }
            StringBuilder b = new StringBuilder("no capacity: needs ");
            appendNeed(b);
            b.append(" on one host;");
            for (int i = 0; i < 4; i++) {
                if (shortOn[i] > 0) {
                    b.append(' ').append(DIMENSIONS[i]).append(" short on ").append(shortOn[i]).append(" hosts (most free ")
                            .append(mostFree[i]).append(UNITS[i]).append(");");
                }
            }
            return b.substring(0, b.length() - 1);
        }

        private void appendNeed(StringBuilder b) {
            String sep = "";
            for (int i = 0; i < 4; i++) {
                if (need[i] > 0) {
                    b.append(sep).append(amount(i, need[i]));
                    sep = ", ";
                }
            }
        }

        private Constraint groupRefusal(Constraint furthest) {
            if (c.spreadZones()) {
                return Constraint.SPREAD_ZONES;
            }
            if (c.antiAffinityGroup() != null) {
                return Constraint.ANTI_AFFINITY;
            }
            return furthest == null ? Constraint.CAPACITY : furthest.ordinal() < Constraint.CAPACITY.ordinal() ? furthest : Constraint.CAPACITY;
        }

        private String groupReason(int placed, Constraint refusedBy) {
            String where = switch (refusedBy) {
                case SPREAD_ZONES -> " in distinct availability zones";
                case ANTI_AFFINITY -> " on distinct hosts";
                default -> "";
            };
            StringBuilder b = new StringBuilder("only ").append(placed).append(" of ").append(request.count())
                    .append(" members fit").append(where).append(" (each needs ");
            appendNeed(b);
            return b.append("); a group is placed whole or not at all").toString();
        }

        Placement answer(Plan plan, Outcome outcome, Constraint refusedBy, String refusal, String reservationId) {
            boolean placed = plan.slots != null && refusedBy == null;
            Outcome o = placed ? outcome : Outcome.REFUSED;
            Map<String, Integer> perCloud = new HashMap<>();
            Map<Slot, Integer> perHost = new IdentityHashMap<>();
            List<MemberPlacement> decision = new ArrayList<>();
            if (placed) {
                for (int m = 0; m < plan.slots.length; m++) {
                    Slot s = plan.slots[m];
                    decision.add(new MemberPlacement(m, s.cloud.cloud.id(), s.host.name(), s.host.zone()));
                    perCloud.merge(s.cloud.cloud.id(), 1, Integer::sum);
                    perHost.merge(s, 1, Integer::sum);
                }
            }
            List<CloudVerdict> verdicts = new ArrayList<>(cloudRejected.length);
            for (int i = 0; i < cloudRejected.length; i++) {
                String id = snap.clouds.get(i).cloud.id();
                if (cloudRejected[i] != null) {
                    verdicts.add(new CloudVerdict(id, cloudRejected[i], cloudReason[i], Double.NaN, 0));
                    continue;
                }
                CloudStats st = stats[i];
                if (st.bestSlot == null) {
                    Constraint r = st.furthest == null ? Constraint.CAPACITY : st.furthest;
                    verdicts.add(new CloudVerdict(id, r, cloudFailReason(r, st, snap.clouds.get(i)), Double.NaN, 0));
                } else {
                    verdicts.add(new CloudVerdict(id, null, "best score " + round(st.best) + " on host " + st.bestSlot.host.name(),
                            st.best, perCloud.getOrDefault(id, 0)));
                }
            }
            List<HostVerdict> hosts = hostVerdicts == null ? List.of() : hostVerdicts;
            if (hostVerdicts != null && placed) {
                hosts = new ArrayList<>(hostVerdicts.size());
                for (HostVerdict h : hostVerdicts) {
                    Slot s = snap.byKey.get(h.cloudId() + "/" + h.host());
                    Integer n = perHost.get(s);
                    hosts.add(n == null ? h : new HostVerdict(h.cloudId(), h.host(), h.rejectedBy(), h.reason(), h.score(), n));
                }
            }
            Constraint refused = placed ? null : refusedBy != null ? refusedBy : plan.refusedBy;
            String summary;
            if (placed) {
                summary = (o == Outcome.PLACED ? "placed " : "would place ") + plan.slots.length + " member(s) in "
                        + String.join(", ", new java.util.TreeSet<>(perCloud.keySet()))
                        + (o == Outcome.PLACED ? ", reservation " + reservationId : " (dry run, nothing reserved)");
            } else {
                summary = refusedBy != null ? refusal : plan.reason;
            }
            return new Placement(o, placed && o == Outcome.PLACED ? reservationId : null, decision,
                    new PlacementExplanation(summary, refused, verdicts, hosts));
        }

        private String cloudFailReason(Constraint r, CloudStats st, CloudState cs) {
            if (cs.slots.length == 0) {
                return "reports no hosts";
            }
            if (r != Constraint.CAPACITY) {
                return "every host fails the " + r + " constraint or an earlier one";
            }
            StringBuilder b = new StringBuilder("no capacity:");
            for (int i = 0; i < 4; i++) {
                if (st.shortOn[i] > 0) {
                    b.append(' ').append(DIMENSIONS[i]).append(" short on ").append(st.shortOn[i]).append(" hosts (needs ")
                            .append(amount(i, need[i])).append(", most free ").append(Math.max(0, st.mostFree[i])).append(UNITS[i])
                            .append(");");
                }
            }
            return b.substring(0, b.length() - 1);
        }
    }

    private static String round(double v) {
        return String.valueOf(Math.round(v * 1000) / 1000.0);
    }

}
