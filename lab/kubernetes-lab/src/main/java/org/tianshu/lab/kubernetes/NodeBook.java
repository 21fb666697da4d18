package org.tianshu.lab.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulated scheduler's view of nodes: allocatable minus the requests of the pods bound to them,
 * with first-fit placement. Not thread-safe; each cluster's control loop owns one.
 */
final class NodeBook {
    private static final class Slot {
        final String name;
        final Requests allocatable;
        final boolean schedulable;
        Requests used = Requests.ZERO;

        Slot(String name, Requests allocatable, boolean schedulable) {
            this.name = name;
            this.allocatable = allocatable;
            this.schedulable = schedulable;
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Slot> byName = new HashMap<>();
    /** Nodes before this index were full the last time they were tried for the smallest pod seen; a seeding speed-up. */
    private int firstOpen;

    /** Adds a node; unschedulable or not-Ready nodes never receive pods. */
    void add(Node node) {
        boolean ready = node.getStatus() == null || node.getStatus().getConditions() == null
                || node.getStatus().getConditions().isEmpty()
                || node.getStatus().getConditions().stream()
                        .filter(c -> "Ready".equals(c.getType())).map(NodeCondition::getStatus).anyMatch("True"::equals);
        boolean cordoned = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        Slot s = new Slot(node.getMetadata().getName(),
                Requests.of(node.getStatus() == null ? null : node.getStatus().getAllocatable(), 110),
                ready && !cordoned);
        if (byName.put(s.name, s) == null) {
            slots.add(s);
        }
    }

    /** Books {@code r} on {@code node} (a pod found bound there). */
    /** The nodes' names, in the order they were added. */
    List<String> names() {
        return slots.stream().map(s -> s.name).toList();
    }

    void book(String node, Requests r) {
        Slot s = byName.get(node);
        if (s != null) {
            s.used = s.used.plus(r);
        }
    }

    /** Releases what {@link #book} booked. */
    void release(String node, Requests r) {
        Slot s = byName.get(node);
        if (s != null) {
            s.used = s.used.minus(r);
            firstOpen = 0;
        }
    }

    /** First node, in seeding order, whose free capacity covers {@code r}; books it. Null when none fits. */
    String place(Requests r) {
        for (int i = firstOpen; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.schedulable && s.allocatable.minus(s.used).covers(r)) {
                s.used = s.used.plus(r);
                return s.name;
            }
        }
        return null;
    }

    /** Books {@code r} on {@code node} if it is schedulable and has room (a pod pinned to it); null otherwise. */
    String placeOn(String node, Requests r) {
        Slot s = byName.get(node);
        if (s != null && s.schedulable && s.allocatable.minus(s.used).covers(r)) {
            s.used = s.used.plus(r);
            return s.name;
        }
        return null;
    }

    /** Advances the first-fit cursor past nodes that cannot take even {@code smallest}; used when seeding. */
    void skipFull(Requests smallest) {
        while (firstOpen < slots.size()) {
            Slot s = slots.get(firstOpen);
            if (s.schedulable && s.allocatable.minus(s.used).covers(smallest)) {
                return;
            }
            firstOpen++;
        }
    }

    /** Why nothing fits {@code r}, in the words of kube-scheduler. */
    String whyNot(Requests r) {
        long cpu = 0;
        long mem = 0;
        long gpu = 0;
        long pods = 0;
        long off = 0;
        for (Slot s : slots) {
            if (!s.schedulable) {
                off++;
                continue;
            }
            Requests free = s.allocatable.minus(s.used);
            if (free.cpuMillis() < r.cpuMillis()) {
                cpu++;
            }
            if (free.memoryBytes() < r.memoryBytes()) {
                mem++;
            }
            if (free.gpus() < r.gpus()) {
                gpu++;
            }
            if (free.pods() < r.pods()) {
                pods++;
            }
        }
        StringBuilder b = new StringBuilder("0/" + slots.size() + " nodes are available:");
        if (cpu > 0) {
            b.append(' ').append(cpu).append(" Insufficient cpu,");
        }
        if (mem > 0) {
            b.append(' ').append(mem).append(" Insufficient memory,");
        }
        if (gpu > 0) {
            b.append(' ').append(gpu).append(" Insufficient nvidia.com/gpu,");
        }
        if (pods > 0) {
            b.append(' ').append(pods).append(" Too many pods,");
        }
        if (off > 0) {
            b.append(' ').append(off).append(" node(s) were unschedulable or not ready,");
        }
        b.setLength(b.length() - 1);
        return b.append('.').toString();
    }

    /** Used requests on {@code node}, for tests and logs. */
    Requests used(String node) {
        Slot s = byName.get(node);
        return s == null ? Requests.ZERO : s.used;
    }

    int size() {
        return slots.size();
    }
}
