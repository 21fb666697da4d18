package org.tianshu.dr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.Hook;
import org.tianshu.api.dr.PlanWorkload;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.api.dr.StepKind;

/**
 * Turns an operation on a plan into the steps of a run, each with the steps it waits for: priority
 * groups in order (a barrier step per group), dependencies, hooks after their workload (plan hooks after
 * the last group).
 */
final class StepPlanner {
    private final List<DrStore.Step> steps = new ArrayList<>();
    private final Map<String, Integer> bringUps = new HashMap<>();

    /** The steps of {@code op}; {@code drill} is the drill a CLEANUP cleans up (its steps), else null. */
    static List<DrStore.Step> plan(DrOperation op, RecoveryPlan plan, ProtectionGroup group, List<DrStore.Step> drill) {
        StepPlanner p = new StepPlanner();
        switch (op) {
            case DRILL -> p.recover(plan, plan.testNetwork(), new int[] {p.add(StepKind.ISOLATE, null, 0, new int[0],
                    plan.testNetwork())}, Map.of());
            case CLEANUP -> {
                List<Integer> removes = new ArrayList<>();
                for (DrStore.Step s : drill) {
                    if (s.kind == StepKind.BRING_UP && s.state == org.tianshu.api.dr.StepState.DONE) {
                        removes.add(p.add(StepKind.REMOVE, s.workload, s.priority, new int[0], s.detail));
                    }
                }
                p.add(StepKind.DROP_NETWORK, null, 0, ints(removes), plan.testNetwork());
            }
            case PLANNED_MIGRATION -> p.migrate(plan, group);
            case FAILOVER -> {
                p.recover(plan, null, new int[0], Map.of());
                for (PlanWorkload w : plan.workloads()) {
                    p.add(StepKind.STOP, w.workload(), w.priority(), new int[] {p.bringUps.get(w.workload())},
                            externalId(group, w.workload()));
                }
            }
            case REPROTECT -> p.reprotect(plan, new int[0]);
            case FAILBACK -> p.reprotect(plan, p.migrate(plan, group));
        }
        return p.steps;
    }

    private int[] migrate(RecoveryPlan plan, ProtectionGroup group) {
        Map<String, Integer> stops = new HashMap<>();
        for (PlanWorkload w : plan.workloads()) {
            int sync = add(StepKind.SYNC, w.workload(), w.priority(), new int[0], null);
            stops.put(w.workload(), add(StepKind.STOP, w.workload(), w.priority(), new int[] {sync},
                    externalId(group, w.workload())));
        }
        return recover(plan, null, new int[0], stops);
    }

    private void reprotect(RecoveryPlan plan, int[] after) {
        int swap = add(StepKind.SWAP_SIDES, null, 0, after, null);
        for (PlanWorkload w : plan.workloads()) {
            add(StepKind.SYNC, w.workload(), 0, new int[] {swap}, null);
        }
    }

    /**
     * Bring-up steps by priority group into {@code network} (null: the mapped recovery network), each
     * waiting for {@code before}, its extra step in {@code extra}, the previous group's barrier and its
     * dependencies (up and checked). Returns the steps that end the recovery.
     */
    private int[] recover(RecoveryPlan plan, String network, int[] before, Map<String, Integer> extra) {
        Map<Integer, List<PlanWorkload>> byPriority = new TreeMap<>();
        plan.workloads().forEach(w -> byPriority.computeIfAbsent(w.priority(), k -> new ArrayList<>()).add(w));
        Map<String, List<Integer>> upAndChecked = new HashMap<>();
        int[] barrier = before;
        for (Map.Entry<Integer, List<PlanWorkload>> group : byPriority.entrySet()) {
            List<Integer> members = new ArrayList<>();
            for (PlanWorkload w : topological(group.getValue())) {
                List<Integer> needs = new ArrayList<>();
                for (int b : barrier) {
                    needs.add(b);
                }
                if (extra.containsKey(w.workload())) {
                    needs.add(extra.get(w.workload()));
                }
                for (String d : w.dependsOn()) {
                    needs.addAll(upAndChecked.get(d));
                }
                int up = add(StepKind.BRING_UP, w.workload(), w.priority(), ints(needs), network);
                bringUps.put(w.workload(), up);
                List<Integer> done = new ArrayList<>(List.of(up));
                for (Hook h : w.hooks()) {
                    done.add(add(StepKind.CHECK, w.workload(), w.priority(), new int[] {up}, DrStore.write(h)));
                }
                upAndChecked.put(w.workload(), done);
                members.addAll(done);
            }
            barrier = new int[] {add(StepKind.GROUP_UP, null, group.getKey(), ints(members), null)};
        }
        List<Integer> end = new ArrayList<>();
        for (int b : barrier) {
            end.add(b);
        }
        for (Hook h : plan.hooks()) {
            end.add(add(StepKind.CHECK, h.name(), 0, barrier, DrStore.write(h)));
        }
        return ints(end);
    }

    /** Workloads of one priority group, each after the ones it depends on (validation excluded cycles). */
    private static List<PlanWorkload> topological(List<PlanWorkload> group) {
        Map<String, PlanWorkload> byName = new LinkedHashMap<>();
        group.stream().sorted(Comparator.comparing(PlanWorkload::workload)).forEach(w -> byName.put(w.workload(), w));
        List<PlanWorkload> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (PlanWorkload w : byName.values()) {
            place(w, byName, placed, order);
        }
        return order;
    }

    private static void place(PlanWorkload w, Map<String, PlanWorkload> byName, Set<String> placed, List<PlanWorkload> order) {
        if (!placed.add(w.workload())) {
            return;
        }
        for (String d : w.dependsOn()) {
            PlanWorkload dep = byName.get(d);
            if (dep != null) {
                place(dep, byName, placed, order);
            }
        }
        order.add(w);
    }

    private int add(StepKind kind, String workload, int priority, int[] needs, String target) {
        int seq = steps.size() + 1;
        steps.add(new DrStore.Step(seq, kind, workload, priority, needs, target));
        return seq;
    }

    private static String externalId(ProtectionGroup g, String name) {
        return g.workloads().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow().externalId();
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
