package org.tianshu.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.scheduling.Constraint;
import org.tianshu.api.scheduling.Placement;
import org.tianshu.api.scheduling.Placement.Outcome;
import org.tianshu.api.scheduling.PlacementConstraints;
import org.tianshu.api.scheduling.PlacementRequest;
import org.tianshu.api.scheduling.PlacementScorer;
import org.tianshu.api.scheduling.Preferences;
import org.tianshu.api.scheduling.ScoringCriterion;

/**
 * The placement scenario of issue 3, run by {@code lab/bench.sh placement} (not by the build): 21 city clouds,
 * 10,000 hosts of mixed sizes, 100,000 mixed requests with every constraint kind in use. Prints placements per
 * second and p50/p99 latency (one thread and two), hosts used against the lower bound, and plain first-fit on
 * the same instance, then the Timefold Solver peer ({@link TimefoldPeer}) on a sub-instance of the same generator with
 * the engine and first-fit run on it too. System properties: {@code bench.hosts}, {@code bench.requests},
 * {@code bench.seed}, {@code bench.timefold.hosts} (150), {@code bench.timefold.requests} (1,500),
 * {@code bench.timefold.seconds} (60), and {@code bench.packOnly=true} to give every request the pack preference
 * alone (no spread, cost, energy or latency), {@code bench.qualityOnly=true} for one untimed-quality run and the waste
 * breakdown alone.
 */
public final class PlacementBench {
    static final String[] CITIES = {"chengdu", "zigong", "panzhihua", "luzhou", "deyang", "mianyang", "guangyuan", "suining",
        "neijiang", "leshan", "nanchong", "meishan", "yibin", "guangan", "dazhou", "yaan", "bazhong", "ziyang", "aba", "ganzi",
        "liangshan"};
    /** vCPUs, GiB of memory, relative frequency. */
    static final int[][] FLAVORS = {{1, 2, 10}, {2, 4, 20}, {2, 8, 15}, {4, 8, 15}, {4, 16, 15}, {8, 16, 8}, {8, 32, 8}, {16, 32, 3},
        {16, 64, 4}, {32, 128, 2}};
    static final int[][] HOST_SIZES = {{32, 128, 20}, {48, 192, 20}, {64, 256, 30}, {96, 384, 20}, {128, 512, 10}};

    private PlacementBench() {
    }

    record Instance(List<Cloud> clouds, List<Host> hosts, List<PlacementRequest> requests) {
    }

    public static void main(String[] args) {
        int hostCount = Integer.getInteger("bench.hosts", 10_000);
        int requestCount = Integer.getInteger("bench.requests", 100_000);
        long seed = Long.getLong("bench.seed", 20260301L);
        Instance in = instance(hostCount, requestCount, seed);
        figure("placement instance: %d clouds, %d hosts, %d requests (%d members), %d cores, load %s", in.clouds().size(),
                in.hosts().size(), in.requests().size(), in.requests().stream().mapToInt(PlacementRequest::count).sum(),
                Runtime.getRuntime().availableProcessors(), load());
        figure("placement bounds (each the fewest hosts any placement of the same placed demand needs): lower = per dimension the"
                + " fewest of the largest hosts covering it, the largest over the dimensions; cpu+memory = one host set covering both;"
                + " constraint-aware = the same per partition the requests' eligible clouds force (province > MLPS/xinchuang class >"
                + " cloud > its GPU hosts), a host's memory counted as far as its CPU carries the most memory-heavy request");

        if (Boolean.getBoolean("bench.qualityOnly")) {
            report("engine, 1 thread", run(in, 1, false), in);
            breakdown(in);
            return;
        }
        Instance warm = instance(hostCount, requestCount / 4, seed + 1);
        run(warm, 2, false);
        run(warm, 1, false);

        Result one = run(in, 1, false);
        report("engine, 1 thread", one, in);
        Result two = run(in, 2, false);
        report("engine, 2 threads", two, in);
        breakdown(in);
        Result ff = run(in, 1, true);
        report("first-fit, 1 thread", ff, in);
        figure("placement quality: engine uses %.3f x the lower bound (%.3f x the constraint-aware one), first-fit %.3f x (%.3f x);"
                + " first-fit / engine hosts = %.3f (target <= 1.05 x bound)", one.hostsUsed / (double) one.lowerBound,
                one.hostsUsed / (double) one.constraintBound, ff.hostsUsed / (double) ff.lowerBound,
                ff.hostsUsed / (double) ff.constraintBound, ff.hostsUsed / (double) one.hostsUsed);
        timefold(Integer.getInteger("bench.timefold.hosts", 150), Integer.getInteger("bench.timefold.requests", 1_500), seed,
                Integer.getInteger("bench.timefold.seconds", 60));
    }

    /**
     * The Timefold Solver peer on a sub-instance of the same generator ({@code hosts} hosts, {@code requests} requests,
     * same seed): the engine (one thread, online) and first-fit place it too, and all three print hosts used against
     * the plain lower bound of what each placed, and their time.
     */
    static void timefold(int hostCount, int requestCount, long seed, int seconds) {
        Instance sub = instance(hostCount, requestCount, seed);
        Result engine = run(sub, 1, false);
        report("sub-instance engine, 1 thread", engine, sub);
        Result ff = run(sub, 1, true);
        report("sub-instance first-fit, 1 thread", ff, sub);
        TimefoldPeer.Outcome tf = TimefoldPeer.solve(sub, seconds);
        long[][] caps = capacities(sub, new PlacementEngine(sub.clouds(), sub.hosts(), null));
        int tfBound = bound(caps, tf.demand());
        figure("placement sub-instance Timefold Solver 1.32.0 (%d s budget, 1 thread): %d requests (%d members) placed whole, score %s,"
                + " hosts used %d, lower bound %d, ratio %.3f, in %.1f s (load %s)", seconds, tf.requests(), tf.members(), tf.score(),
                tf.hostsUsed(), tfBound, tf.hostsUsed() / (double) tfBound, tf.millis() / 1e3, load());
        figure("placement sub-instance (%d hosts, %d requests): hosts/bound engine %.3f in %.2f s, Timefold %.3f in %.1f s,"
                + " first-fit %.3f; Timefold / engine hosts %.3f, members placed engine %d, Timefold %d", hostCount, requestCount,
                engine.hostsUsed() / (double) engine.lowerBound(), engine.nanos() / 1e9, tf.hostsUsed() / (double) tfBound,
                tf.millis() / 1e3, ff.hostsUsed() / (double) ff.lowerBound(), tf.hostsUsed() / (double) engine.hostsUsed(),
                engine.members(), tf.members());
    }

    static Instance instance(int hostCount, int requestCount, long seed) {
        Random rnd = new Random(seed);
        List<Cloud> clouds = new ArrayList<>();
        double[] weight = new double[CITIES.length];
        double total = 0;
        for (int i = 0; i < CITIES.length; i++) {
            weight[i] = i == 0 ? 6 : i < 6 ? 2 : 1;
            total += weight[i];
            boolean xc = i % 3 == 1;
            Map<String, String> options = new HashMap<>();
            options.put("overcommit.cpu", String.valueOf(2 + i % 3));
            if (i % 4 == 0) {
                options.put("overcommit.memory", "1.2");
            }
            clouds.add(new Cloud(CITIES[i] + (xc ? "-xc" : "-os"), CITIES[i], i % 2 == 0 ? CloudKind.OPENSTACK : CloudKind.KUBERNETES,
                    CITIES[i], "RegionOne", 2 + i % 3, xc, "https://" + CITIES[i], "cred", options));
        }
        List<Host> hosts = new ArrayList<>(hostCount);
        int[] perCloud = new int[CITIES.length];
        for (int h = 0; h < hostCount; h++) {
            double x = rnd.nextDouble() * total;
            int c = 0;
            while (x >= weight[c] && c < CITIES.length - 1) {
                x -= weight[c];
                c++;
            }
            Cloud cloud = clouds.get(c);
            int n = perCloud[c]++;
            String zone = "az" + (1 + n % 3);
            if (rnd.nextInt(100) < 8) {
                String type = cloud.xinchuang() ? "ascend910" : "a100";
                hosts.add(new Host(cloud.id(), "gpu-" + n, zone, new Resources(64_000, 512 * 1024, 4000, 8), Resources.ZERO, type, true));
            } else {
                int[] size = pick(rnd, HOST_SIZES);
                hosts.add(new Host(cloud.id(), "h-" + n, zone, new Resources(size[0] * 1000L, size[1] * 1024L, 4000, 0), Resources.ZERO,
                        null, rnd.nextInt(200) != 0));
            }
        }
        List<PlacementRequest> requests = new ArrayList<>(requestCount);
        for (int r = 0; r < requestCount; r++) {
            requests.add(request(rnd, clouds, weight, total));
        }
        return new Instance(clouds, hosts, requests);
    }

    private static PlacementRequest request(Random rnd, List<Cloud> clouds, double[] weight, double total) {
        String dept = "dept-" + rnd.nextInt(82);
        int[] f = pick(rnd, FLAVORS);
        long gpus = 0;
        String gpuType = null;
        int kind = rnd.nextInt(100);
        if (kind < 3) {
            gpus = 1 + rnd.nextInt(2);
            gpuType = rnd.nextBoolean() ? "a100" : "ascend910";
        } else if (kind < 4) {
            gpus = 1;
        }
        Resources demand = new Resources(f[0] * 1000L, f[1] * 1024L, 20 + 20L * rnd.nextInt(5), gpus);
        int count = 1;
        Set<String> allowed = Set.of();
        int minZone = 1;
        boolean xc = false;
        String residency = null;
        Set<String> zones = Set.of();
        String affinity = null;
        String anti = null;
        boolean spread = false;
        int c = rnd.nextInt(100);
        if (c < 40) {
            double x = rnd.nextDouble() * total;
            int i = 0;
            while (x >= weight[i] && i < weight.length - 1) {
                x -= weight[i];
                i++;
            }
            residency = CITIES[i];
        } else if (c < 50) {
            allowed = new java.util.HashSet<>();
            while (allowed.size() < 3) {
                allowed.add(clouds.get(rnd.nextInt(clouds.size())).id());
            }
        } else if (c < 52) {
            residency = PlacementConstraints.PROVINCE;
        }
        int s = rnd.nextInt(100);
        if (s < 15) {
            minZone = 3;
        } else if (s < 20) {
            minZone = 4;
        }
        if (rnd.nextInt(100) < 15 && gpuType == null) {
            xc = true;
        }
        if (gpuType != null && gpuType.equals("ascend910")) {
            xc = rnd.nextBoolean();
        }
        if (rnd.nextInt(100) < 5) {
            zones = Set.of("az" + (1 + rnd.nextInt(3)));
        }
        int g = rnd.nextInt(100);
        if (g < 5) {
            affinity = "aff-" + rnd.nextInt(3000);
            count = 1 + rnd.nextInt(2);
        } else if (g < 13) {
            anti = "anti-" + rnd.nextInt(3000);
        } else if (g < 18) {
            anti = "ha-" + rnd.nextInt(5000);
            spread = true;
            count = 2 + rnd.nextInt(2);
            zones = Set.of();
        }
        int p = Boolean.getBoolean("bench.packOnly") ? 0 : rnd.nextInt(100);
        Preferences prefs = p < 80 ? Preferences.PACK : p < 90 ? new Preferences(1, 0, 0, 0, 0.3) : p < 95 ? new Preferences(1, 0, 0.3, 0.1, 0)
                : p < 98 ? new Preferences(1, 0, 0, 0.3, 0) : Preferences.SPREAD;
        return new PlacementRequest(dept, demand, count,
                new PlacementConstraints(allowed, minZone, xc, residency, zones, affinity, anti, spread, gpuType), prefs, false);
    }

    private static int[] pick(Random rnd, int[][] table) {
        int sum = Arrays.stream(table).mapToInt(t -> t[2]).sum();
        int x = rnd.nextInt(sum);
        for (int[] t : table) {
            x -= t[2];
            if (x < 0) {
                return t;
            }
        }
        return table[table.length - 1];
    }

    /** Scorers as the network and operations work would feed them: price, PUE and latency per cloud. */
    static List<PlacementScorer> scorers(List<Cloud> clouds) {
        Map<String, double[]> perCloud = new HashMap<>();
        for (int i = 0; i < clouds.size(); i++) {
            perCloud.put(clouds.get(i).id(), new double[] {0.3 + 0.7 * ((i * 7) % 10) / 10.0, 0.4 + 0.6 * ((i * 3) % 10) / 10.0});
        }
        return List.of(scorer(ScoringCriterion.COST, (r, c) -> perCloud.get(c.id())[0]),
                scorer(ScoringCriterion.ENERGY, (r, c) -> perCloud.get(c.id())[1]),
                scorer(ScoringCriterion.LATENCY, (r, c) -> c.city().equals(CITIES[Math.floorMod(r.departmentId().hashCode(), 21)]) ? 1
                        : 0.3 + 0.4 * Math.floorMod(r.departmentId().hashCode() ^ c.id().hashCode(), 10) / 10.0));
    }

    private static PlacementScorer scorer(ScoringCriterion criterion, java.util.function.ToDoubleBiFunction<PlacementRequest, Cloud> f) {
        return new PlacementScorer() {
            @Override
            public ScoringCriterion criterion() {
                return criterion;
            }

            @Override
            public double score(PlacementRequest request, Cloud cloud) {
                return f.applyAsDouble(request, cloud);
            }
        };
    }

    record Result(int threads, long nanos, long cpuNanos, long[] latencies, int placed, int members, Map<Constraint, Integer> refused,
            int hostsUsed, int lowerBound, int jointBound, int constraintBound, double fill, int gpuHostsUsed, double usedHostsMemoryUse) {
    }

    static Result run(Instance in, int threads, boolean firstFit) {
        PlacementEngine engine = new PlacementEngine(in.clouds(), in.hosts(), null);
        scorers(in.clouds()).forEach(engine::addScorer);
        List<PlacementRequest> requests = firstFit ? in.requests().stream()
                .map(r -> new PlacementRequest(r.departmentId(), r.demand(), r.count(), r.constraints(), new Preferences(0, 0, 0, 0, 0),
                        false)).toList() : in.requests();
        long[] latencies = new long[requests.size()];
        Placement.Outcome[] outcomes = new Placement.Outcome[requests.size()];
        Constraint[] refusedBy = new Constraint[requests.size()];
        int[] placedMembers = new int[requests.size()];
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong cpu = new java.util.concurrent.atomic.AtomicLong();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Runnable worker = () -> {
            long cpu0 = mx.getCurrentThreadCpuTime();
            for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                long t0 = System.nanoTime();
                Placement p = engine.place(requests.get(i), false);
                latencies[i] = System.nanoTime() - t0;
                outcomes[i] = p.outcome();
                refusedBy[i] = p.explanation().refusedBy();
                placedMembers[i] = p.decision().size();
            }
            cpu.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
        };
        List<Thread> pool = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(worker, "bench-" + t);
            pool.add(th);
            th.start();
        }
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        long nanos = System.nanoTime() - start;
        int placed = 0;
        int members = 0;
        Map<Constraint, Integer> refused = new EnumMap<>(Constraint.class);
        long[] demand = new long[4];
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == Outcome.PLACED) {
                placed++;
                members += placedMembers[i];
                Resources d = requests.get(i).demand().times(placedMembers[i]);
                demand[0] += d.cpuMillis();
                demand[1] += d.memoryMiB();
                demand[2] += d.diskGiB();
                demand[3] += d.gpus();
            } else {
                refused.merge(refusedBy[i], 1, Integer::sum);
            }
        }
        int used = 0;
        int gpuUsed = 0;
        long usedMemCap = 0;
        long usedMemFree = 0;
        long memCap = 0;
        for (int h = 0; h < in.hosts().size(); h++) {
            Host host = in.hosts().get(h);
            Resources cap = engine.effectiveCapacity(host.cloudId(), host.name());
            Resources free = engine.free(host.cloudId(), host.name());
            if (!free.equals(cap)) {
                used++;
                gpuUsed += cap.gpus() > 0 ? 1 : 0;
                usedMemCap += cap.memoryMiB();
                usedMemFree += free.memoryMiB();
            }
            if (host.up()) {
                memCap += cap.memoryMiB();
            }
        }
        long[][] caps = capacities(in, engine);
        return new Result(threads, nanos, cpu.get(), latencies, placed, members, refused, used, bound(caps, demand), jointBound(caps, demand),
                constraintBound(in, requests, outcomes, placedMembers), demand[1] / (double) memCap, gpuUsed,
                1 - usedMemFree / (double) usedMemCap);
    }

    /** Per-dimension capacity after overcommit of every host that is up (cpu, memory, disk, gpus). */
    static long[][] capacities(Instance in, PlacementEngine engine) {
        long[][] caps = new long[4][in.hosts().size()];
        for (int h = 0; h < in.hosts().size(); h++) {
            Host host = in.hosts().get(h);
            if (host.up()) {
                Resources cap = engine.effectiveCapacity(host.cloudId(), host.name());
                caps[0][h] = cap.cpuMillis();
                caps[1][h] = cap.memoryMiB();
                caps[2][h] = cap.diskGiB();
                caps[3][h] = cap.gpus();
            }
        }
        return caps;
    }

    /** The plain lower bound: per dimension, the fewest of the largest hosts that cover the demand placed; the largest. */
    static int bound(long[][] caps, long[] demand) {
        int bound = 0;
        for (int d = 0; d < 4; d++) {
            long[] c = caps[d].clone();
            Arrays.sort(c);
            long sum = 0;
            int n = 0;
            for (int i = c.length - 1; i >= 0 && sum < demand[d]; i--) {
                sum += c[i];
                n++;
            }
            bound = Math.max(bound, n);
        }
        return bound;
    }

    /**
     * A lower bound that asks one set of hosts to cover CPU and memory at once: any such set has, for every weight
     * {@code l} in [0, 1], {@code sum(l cpu/Dcpu + (1-l) mem/Dmem) >= 1}, so the fewest hosts reaching 1 under each
     * weight is a bound; the largest over 21 weights is printed (never below the plain bound's CPU and memory parts).
     */
    static int jointBound(long[][] caps, long[] demand) {
        int best = bound(caps, demand);
        if (demand[0] == 0 || demand[1] == 0) {
            return best;
        }
        int n = caps[0].length;
        double[] w = new double[n];
        for (int step = 1; step < 20; step++) {
            double l = step / 20.0;
            for (int h = 0; h < n; h++) {
                w[h] = l * caps[0][h] / demand[0] + (1 - l) * caps[1][h] / demand[1];
            }
            Arrays.sort(w);
            double sum = 0;
            int k = 0;
            for (int i = n - 1; i >= 0 && sum < 1 - 1e-12; i--) {
                sum += w[i];
                k++;
            }
            best = Math.max(best, k);
        }
        return best;
    }

    /**
     * A lower bound on hosts that also respects where each request may go. Every placed request's eligible clouds come
     * from the engine's own verdicts on the empty province (a dry run: allowed clouds, MLPS zone, 信创, residency, GPU
     * type, zones, size). The hosts form a tree: the province; its clouds grouped by (MLPS zone, 信创); each cloud; each
     * cloud's GPU hosts. A request's demand is forced into the smallest node holding all its eligible hosts (GPU work
     * into GPU hosts only when it has one eligible cloud). Bottom up, a node needs at least k hosts: per dimension, its
     * children's k largest hosts, then its largest other hosts until the demand forced into it (its own and its
     * descendants') is covered; k is the largest over the dimensions. Any placement of the same requests uses at least
     * the root's k hosts (each step only drops constraints). A host's memory counts only as far as its CPU can carry
     * the most memory-heavy request placed (memory per vCPU), and its CPU as far as its memory carries the most
     * CPU-heavy one: no mix of those requests fills more (a 128-vCPU, 614 GiB GPU host holds at most 512 GiB of
     * requests of at most 4 GiB per vCPU). Anti-affinity, zone spread and the packing itself are not
     * counted, so this is still below the optimum.
     */
    static int constraintBound(Instance in, List<PlacementRequest> requests, Placement.Outcome[] outcomes, int[] placedMembers) {
        PlacementEngine empty = new PlacementEngine(in.clouds(), in.hosts(), null);
        double memPerCpu = 0;
        double cpuPerMem = 0;
        for (int i = 0; i < outcomes.length; i++) {
            Resources d = requests.get(i).demand();
            if (outcomes[i] == Outcome.PLACED) {
                memPerCpu = Math.max(memPerCpu, d.cpuMillis() == 0 ? Double.POSITIVE_INFINITY : d.memoryMiB() / (double) d.cpuMillis());
                cpuPerMem = Math.max(cpuPerMem, d.memoryMiB() == 0 ? Double.POSITIVE_INFINITY : d.cpuMillis() / (double) d.memoryMiB());
            }
        }
        Map<String, Cloud> clouds = new HashMap<>();
        in.clouds().forEach(c -> clouds.put(c.id(), c));
        Map<String, Node> nodes = new HashMap<>();
        Node root = new Node(null);
        for (Host h : in.hosts()) {
            if (!h.up()) {
                continue;
            }
            Cloud c = clouds.get(h.cloudId());
            Node cls = nodes.computeIfAbsent("class:" + c.securityZone() + "/" + c.xinchuang(), k -> new Node(root));
            Node cloud = nodes.computeIfAbsent("cloud:" + c.id(), k -> new Node(cls));
            Node node = h.capacity().gpus() > 0 ? nodes.computeIfAbsent("gpu:" + c.id(), k -> new Node(cloud)) : cloud;
            Resources cap = empty.effectiveCapacity(h.cloudId(), h.name());
            node.hosts.add(new long[] {(long) Math.min(cap.cpuMillis(), cap.memoryMiB() * cpuPerMem),
                (long) Math.min(cap.memoryMiB(), cap.cpuMillis() * memPerCpu), cap.diskGiB(), cap.gpus()});
        }
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] != Outcome.PLACED) {
                continue;
            }
            PlacementRequest r = requests.get(i);
            List<String> eligible = empty.place(r, true).explanation().clouds().stream().filter(v -> v.eligible())
                    .map(v -> v.cloudId()).toList();
            Node at = root;
            if (eligible.size() == 1) {
                Node gpu = nodes.get("gpu:" + eligible.get(0));
                at = r.demand().gpus() > 0 && gpu != null ? gpu : nodes.get("cloud:" + eligible.get(0));
            } else if (eligible.stream().map(id -> clouds.get(id).securityZone() + "/" + clouds.get(id).xinchuang()).distinct()
                    .count() == 1) {
                Cloud c = clouds.get(eligible.get(0));
                at = nodes.get("class:" + c.securityZone() + "/" + c.xinchuang());
            }
            Resources d = r.demand().times(placedMembers[i]);
            at.demand[0] += d.cpuMillis();
            at.demand[1] += d.memoryMiB();
            at.demand[2] += d.diskGiB();
            at.demand[3] += d.gpus();
        }
        return root.bound();
    }

    /** A node of {@link #constraintBound}'s tree: its own hosts, its children, the demand forced into it. */
    static final class Node {
        final List<long[]> hosts = new ArrayList<>();
        final List<Node> children = new ArrayList<>();
        final long[] demand = new long[4];
        /** Filled by {@link #bound()}: per dimension, the node's chosen hosts and every host under it. */
        final List<long[]> all = new ArrayList<>();
        int k;

        Node(Node parent) {
            if (parent != null) {
                parent.children.add(this);
            }
        }

        int bound() {
            all.addAll(hosts);
            for (Node c : children) {
                c.bound();
                all.addAll(c.all);
                for (int d = 0; d < 4; d++) {
                    demand[d] += c.demand[d];
                }
            }
            k = 0;
            for (int d = 0; d < 4; d++) {
                final int dim = d;
                java.util.Comparator<long[]> largest = (a, b) -> Long.compare(b[dim], a[dim]);
                List<long[]> rest = new ArrayList<>(hosts);
                long sum = 0;
                int n = 0;
                for (Node c : children) {
                    List<long[]> under = new ArrayList<>(c.all);
                    under.sort(largest);
                    for (int i = 0; i < under.size(); i++) {
                        if (i < c.k) {
                            sum += under.get(i)[d];
                            n++;
                        } else {
                            rest.add(under.get(i));
                        }
                    }
                }
                rest.sort(largest);
                for (int i = 0; i < rest.size() && sum < demand[d]; i++) {
                    sum += rest.get(i)[d];
                    n++;
                }
                k = Math.max(k, n);
            }
            return k;
        }
    }

    /**
     * Where the hosts above the bound go, on a one-thread run of {@code in} (untimed): the hosts each kind of request
     * opened (the first to land on an empty host opens it) against that kind's share of the memory placed; per dimension,
     * how full the used hosts are; and the hosts used split into the size of the hosts opened (the fewest of the
     * province's largest hosts holding as much memory as the used ones, against the hosts used) and their fill (that
     * count against the plain bound).
     */
    static void breakdown(Instance in) {
        PlacementEngine engine = new PlacementEngine(in.clouds(), in.hosts(), null);
        scorers(in.clouds()).forEach(engine::addScorer);
        Set<String> used = new java.util.HashSet<>();
        Map<String, int[]> opened = new java.util.TreeMap<>();
        Map<String, Long> memory = new java.util.TreeMap<>();
        long placedMemory = 0;
        for (PlacementRequest r : in.requests()) {
            Placement p = engine.place(r, false);
            if (p.outcome() != Outcome.PLACED) {
                continue;
            }
            String kind = kind(r);
            int[] n = opened.computeIfAbsent(kind, k -> new int[1]);
            for (var m : p.decision()) {
                n[0] += used.add(m.cloudId() + "/" + m.host()) ? 1 : 0;
            }
            long mem = r.demand().memoryMiB() * p.decision().size();
            memory.merge(kind, mem, Long::sum);
            placedMemory += mem;
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, int[]> e : opened.entrySet()) {
            b.append(String.format(Locale.ROOT, " %s %d (%.1f%% of hosts, %.1f%% of memory);", e.getKey(), e.getValue()[0],
                    100.0 * e.getValue()[0] / used.size(), 100.0 * memory.get(e.getKey()) / placedMemory));
        }
        figure("placement waste, hosts opened by the first request on them:%s", b.substring(0, b.length() - 1));
        long[] alloc = new long[4];
        long[] cap = new long[4];
        int cpuBound = 0;
        long[][] hist = new long[8][2];
        List<Long> usedMem = new ArrayList<>();
        long[] all = new long[in.hosts().size()];
        for (int h = 0; h < in.hosts().size(); h++) {
            Host host = in.hosts().get(h);
            Resources c = engine.effectiveCapacity(host.cloudId(), host.name());
            Resources f = engine.free(host.cloudId(), host.name());
            all[h] = host.up() ? c.memoryMiB() : 0;
            if (f.equals(c)) {
                continue;
            }
            long[] cv = {c.cpuMillis(), c.memoryMiB(), c.diskGiB(), c.gpus()};
            long[] fv = {f.cpuMillis(), f.memoryMiB(), f.diskGiB(), f.gpus()};
            for (int d = 0; d < 4; d++) {
                alloc[d] += cv[d] - fv[d];
                cap[d] += cv[d];
            }
            cpuBound += (cv[0] - fv[0]) / (double) cv[0] > (cv[1] - fv[1]) / (double) cv[1] ? 1 : 0;
            double fm = (cv[1] - fv[1]) / (double) cv[1];
            int bucket = fm < 0.5 ? 0 : fm < 0.8 ? 1 : fm < 0.95 ? 2 : 3;
            hist[bucket + (cv[3] > 0 ? 4 : 0)][0]++;
            hist[bucket + (cv[3] > 0 ? 4 : 0)][1] += fv[1];
            usedMem.add(c.memoryMiB());
        }
        Arrays.sort(all);
        long usedCap = usedMem.stream().mapToLong(Long::longValue).sum();
        long sum = 0;
        int same = 0;
        for (int i = all.length - 1; i >= 0 && sum < usedCap; i--) {
            sum += all[i];
            same++;
        }
        long sumDemand = 0;
        int bound = 0;
        for (int i = all.length - 1; i >= 0 && sumDemand < placedMemory; i--) {
            sumDemand += all[i];
            bound++;
        }
        figure("placement waste, used hosts filled: cpu %.1f%%, memory %.1f%%, disk %.1f%%, gpus %.1f%%; CPU fuller than memory on %d of"
                + " %d; host size: their memory would fit on %d of the largest hosts (+%d for opening smaller hosts), fill: the memory"
                + " bound is %d (+%d for the free memory on used hosts)", 100.0 * alloc[0] / cap[0], 100.0 * alloc[1] / cap[1],
                100.0 * alloc[2] / cap[2], cap[3] == 0 ? 0 : 100.0 * alloc[3] / cap[3], cpuBound, usedMem.size(), same,
                usedMem.size() - same, bound, same - bound);
        figure("placement waste, used hosts by memory filled (<50%%, <80%%, <95%%, more): hosts and free GiB, without GPUs %s, with GPUs %s",
                Arrays.toString(Arrays.stream(hist, 0, 4).map(h -> h[0] + "/" + h[1] / 1024).toArray()),
                Arrays.toString(Arrays.stream(hist, 4, 8).map(h -> h[0] + "/" + h[1] / 1024).toArray()));
    }

    /** The constraint or preference that most narrows where {@code r} may go, for {@link #breakdown}. */
    private static String kind(PlacementRequest r) {
        PlacementConstraints c = r.constraints();
        if (c.spreadZones()) {
            return "zone-spread";
        }
        if (c.antiAffinityGroup() != null) {
            return "anti-affinity";
        }
        if (c.affinityGroup() != null) {
            return "affinity";
        }
        if (r.preferences().spread() > 0) {
            return "spread";
        }
        if (r.demand().gpus() > 0) {
            return "gpu";
        }
        if (!c.anyCity()) {
            return "residency";
        }
        if (!c.allowedClouds().isEmpty()) {
            return "allowed-clouds";
        }
        if (!c.zones().isEmpty()) {
            return "zones";
        }
        if (c.minSecurityZone() > 2 || c.xinchuang()) {
            return "mlps-xinchuang";
        }
        return r.preferences().pack() == 1 && r.preferences().cost() + r.preferences().energy() + r.preferences().latency() == 0
                ? "free-pack" : "free-scored";
    }

    static void report(String label, Result r, Instance in) {
        long[] sorted = r.latencies().clone();
        Arrays.sort(sorted);
        double seconds = r.nanos() / 1e9;
        figure("placement %s: %.0f placements/s (%d requests in %.2f s), p50 %.1f us, p99 %.1f us, max %.1f ms; CPU time %.1f us"
                + " per placement (%.0f placements per CPU-second, the rate per core free of other work)", label, in.requests().size() / seconds,
                in.requests().size(), seconds, sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3,
                sorted[sorted.length - 1] / 1e6, r.cpuNanos() / 1e3 / in.requests().size(), in.requests().size() / (r.cpuNanos() / 1e9));
        figure("placement %s: placed %d requests (%d members), refused %s; memory filled %.1f%% of the province, %.1f%% of the"
                + " hosts used; hosts used %d (%d with GPUs), lower bound %d, ratio %.3f; cpu+memory bound %d, ratio %.3f;"
                + " constraint-aware bound %d, ratio %.3f", label, r.placed(), r.members(), r.refused(), 100 * r.fill(),
                100 * r.usedHostsMemoryUse(), r.hostsUsed(), r.gpuHostsUsed(), r.lowerBound(), r.hostsUsed() / (double) r.lowerBound(),
                r.jointBound(), r.hostsUsed() / (double) r.jointBound(), r.constraintBound(), r.hostsUsed() / (double) r.constraintBound());
    }

    static void figure(String format, Object... args) {
        System.out.println("bench " + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
