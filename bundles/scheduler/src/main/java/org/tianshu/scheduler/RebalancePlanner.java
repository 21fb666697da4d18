package org.tianshu.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.scheduling.Move;

/**
 * Plans moves inside each cloud: first it relieves every overloaded host (its largest movable workloads first, so
 * few moves do it), then it frees the hosts with the fewest workloads whose every workload fits elsewhere. A move
 * only goes to a host that is up, in the same availability zone, of the same GPU type when the workload uses GPUs,
 * that holds no other member of the workload's anti-affinity group, and that stays at or below the overload
 * threshold after overcommit; among those it picks the fullest (packing), an empty host only to relieve an
 * overloaded one, and never a host it is freeing. Members of affinity groups are not moved.
 */
final class RebalancePlanner {
    /** The groups a workload's placement put it in, by its provisioning request id. */
    record Groups(String affinity, String antiAffinity) {
    }

    /** The moves, the hosts brought below the threshold and the hosts emptied, as {@code cloud/host}. */
    record Result(List<Move> moves, List<String> relieved, List<String> freed) {
    }

    private final double threshold;
    private final int maxMoves;

    RebalancePlanner(double threshold, int maxMoves) {
        this.threshold = threshold;
        this.maxMoves = maxMoves;
    }

    Result plan(List<Cloud> clouds, List<Host> hosts, List<Workload> workloads, Map<String, Groups> groups) {
        List<Move> moves = new ArrayList<>();
        List<String> relieved = new ArrayList<>();
        List<String> freed = new ArrayList<>();
        for (Cloud cloud : clouds) {
            new CloudPlan(cloud, hosts, workloads, groups).run(moves, relieved, freed);
        }
        return new Result(moves, relieved, freed);
    }

    private final class CloudPlan {
        final Cloud cloud;
        final Map<String, Slot> slots = new HashMap<>();
        final Map<String, List<Workload>> on = new HashMap<>();
        final Map<String, Groups> groups;
        /** Per anti-affinity group, how many of its members each host holds now (as planned). */
        final Map<String, Map<String, Integer>> antiHosts = new HashMap<>();

        CloudPlan(Cloud cloud, List<Host> hosts, List<Workload> workloads, Map<String, Groups> groups) {
            this.cloud = cloud;
            this.groups = groups;
            CloudState ratios = new CloudState(cloud);
            for (Host h : hosts) {
                if (h.cloudId().equals(cloud.id())) {
                    slots.put(h.name(), new Slot(h, new long[] {(long) Math.floor(h.capacity().cpuMillis() * ratios.cpuRatio),
                        (long) Math.floor(h.capacity().memoryMiB() * ratios.memRatio),
                        (long) Math.floor(h.capacity().diskGiB() * ratios.diskRatio), h.capacity().gpus()},
                            new long[] {h.allocated().cpuMillis(), h.allocated().memoryMiB(), h.allocated().diskGiB(),
                                h.allocated().gpus()}));
                }
            }
            for (Workload w : workloads) {
                if (w.cloudId().equals(cloud.id()) && w.host() != null && slots.containsKey(w.host())) {
                    on.computeIfAbsent(w.host(), k -> new ArrayList<>()).add(w);
                    Groups g = groupsOf(w);
                    if (g.antiAffinity() != null) {
                        antiHosts.computeIfAbsent(g.antiAffinity(), k -> new HashMap<>()).merge(w.host(), 1, Integer::sum);
                    }
                }
            }
        }

        Groups groupsOf(Workload w) {
            Groups g = w.requestId() == null ? null : groups.get(w.requestId());
            return g == null ? new Groups(null, null) : g;
        }

        boolean movable(Workload w) {
            return w.state() == WorkloadState.ACTIVE && groupsOf(w).affinity() == null;
        }

        void run(List<Move> moves, List<String> relieved, List<String> freed) {
            Set<String> emptied = new LinkedHashSet<>();
            Set<String> targets = new HashSet<>();
            List<Slot> overloaded = slots.values().stream().filter(s -> s.host.up() && s.over(threshold))
                    .sorted(Comparator.comparingDouble((Slot s) -> s.load()).reversed().thenComparing(s -> s.host.name())).toList();
            for (Slot s : overloaded) {
                List<Workload> candidates = new ArrayList<>(on.getOrDefault(s.host.name(), List.of()));
                candidates.removeIf(w -> !movable(w));
                candidates.sort(Comparator.comparingLong((Workload w) -> w.resources().cpuMillis()).reversed()
                        .thenComparing(Workload::externalId));
                for (Workload w : candidates) {
                    if (!s.over(threshold) || moves.size() >= maxMoves) {
                        break;
                    }
                    Slot target = target(w, s, emptied, true);
                    if (target != null) {
                        targets.add(target.host.name());
                        moves.add(move(moves.size(), w, s, target, "relieves overloaded host " + s.host.name()));
                    }
                }
                if (!s.over(threshold)) {
                    relieved.add(cloud.id() + "/" + s.host.name());
                }
            }
            List<Slot> lightest = slots.values().stream().filter(s -> s.host.up() && !s.empty())
                    .sorted(Comparator.comparingInt((Slot s) -> on.getOrDefault(s.host.name(), List.of()).size())
                            .thenComparingDouble(Slot::load).thenComparing(s -> s.host.name())).toList();
            for (Slot s : lightest) {
                List<Workload> all = new ArrayList<>(on.getOrDefault(s.host.name(), List.of()));
                long accounted = all.stream().mapToLong(w -> w.resources().cpuMillis()).sum();
                if (all.isEmpty() || targets.contains(s.host.name()) || accounted < s.alloc[0] || !all.stream().allMatch(this::movable)
                        || moves.size() + all.size() > maxMoves) {
                    // something the inventory does not show as a workload runs there, or something must stay
                    continue;
                }
                emptied.add(s.host.name());
                List<Move> tentative = new ArrayList<>();
                for (Workload w : all) {
                    Slot target = target(w, s, emptied, false);
                    if (target == null) {
                        break;
                    }
                    tentative.add(move(moves.size() + tentative.size(), w, s, target, "frees host " + s.host.name()));
                }
                if (tentative.size() == all.size()) {
                    moves.addAll(tentative);
                    tentative.forEach(m -> targets.add(m.toHost()));
                    freed.add(cloud.id() + "/" + s.host.name());
                } else {
                    for (int i = tentative.size() - 1; i >= 0; i--) {
                        undo(tentative.get(i));
                    }
                    emptied.remove(s.host.name());
                }
            }
        }

        /** The fullest host that can take {@code w} from {@code from} within every hard constraint, or null. */
        Slot target(Workload w, Slot from, Set<String> emptied, boolean orEmpty) {
            Groups g = groupsOf(w);
            Map<String, Integer> apart = g.antiAffinity() == null ? Map.of() : antiHosts.getOrDefault(g.antiAffinity(), Map.of());
            Slot best = null;
            for (Slot t : slots.values()) {
                if (t == from || !t.host.up() || !orEmpty && t.empty() || emptied.contains(t.host.name())
                        || !java.util.Objects.equals(t.host.zone(), from.host.zone())
                        || w.resources().gpus() > 0 && !java.util.Objects.equals(t.host.gpuType(), from.host.gpuType())
                        || apart.containsKey(t.host.name()) || !t.takes(w.resources(), threshold)) {
                    continue;
                }
                if (best == null || t.load() > best.load() || t.load() == best.load() && t.host.name().compareTo(best.host.name()) < 0) {
                    best = t;
                }
            }
            return best;
        }

        Move move(int index, Workload w, Slot from, Slot to, String reason) {
            from.add(w.resources(), -1);
            to.add(w.resources(), 1);
            on.get(from.host.name()).remove(w);
            on.computeIfAbsent(to.host.name(), k -> new ArrayList<>()).add(w);
            shift(w, from.host.name(), to.host.name());
            return new Move(index, cloud.id(), w.externalId(), w.requestId(), w.name(), from.host.name(), to.host.name(),
                    w.resources(), reason, Move.State.PENDING, null);
        }

        void undo(Move m) {
            Slot from = slots.get(m.fromHost());
            Slot to = slots.get(m.toHost());
            Workload w = on.get(to.host.name()).stream().filter(x -> x.externalId().equals(m.externalId())).findFirst().orElseThrow();
            from.add(w.resources(), 1);
            to.add(w.resources(), -1);
            on.get(to.host.name()).remove(w);
            on.get(from.host.name()).add(w);
            shift(w, to.host.name(), from.host.name());
        }

        /** Counts {@code w} on host {@code to} instead of {@code from} in its anti-affinity group. */
        void shift(Workload w, String from, String to) {
            Groups g = groupsOf(w);
            if (g.antiAffinity() != null) {
                Map<String, Integer> count = antiHosts.get(g.antiAffinity());
                count.computeIfPresent(from, (k, n) -> n <= 1 ? null : n - 1);
                count.merge(to, 1, Integer::sum);
            }
        }
    }

    /** A host as planned: effective capacity and allocation (cpu, memory, disk, gpus). */
    private static final class Slot {
        final Host host;
        final long[] cap;
        final long[] alloc;

        Slot(Host host, long[] cap, long[] alloc) {
            this.host = host;
            this.cap = cap;
            this.alloc = alloc;
        }

        double load() {
            return Math.max(share(0), share(1));
        }

        private double share(int i) {
            return cap[i] <= 0 ? 0 : (double) alloc[i] / cap[i];
        }

        boolean over(double threshold) {
            return share(0) > threshold || share(1) > threshold;
        }

        boolean empty() {
            return alloc[0] == 0 && alloc[1] == 0 && alloc[2] == 0 && alloc[3] == 0;
        }

        boolean takes(Resources r, double threshold) {
            return alloc[0] + r.cpuMillis() <= threshold * cap[0] && alloc[1] + r.memoryMiB() <= threshold * cap[1]
                    && alloc[2] + r.diskGiB() <= cap[2] && alloc[3] + r.gpus() <= cap[3];
        }

        void add(Resources r, int sign) {
            alloc[0] += sign * r.cpuMillis();
            alloc[1] += sign * r.memoryMiB();
            alloc[2] += sign * r.diskGiB();
            alloc[3] += sign * r.gpus();
        }
    }
}
