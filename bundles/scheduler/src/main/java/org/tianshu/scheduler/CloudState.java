package org.tianshu.scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.Host;

/** A cloud in the engine's snapshot: its overcommit ratios (from {@link Cloud#options()}) and its hosts. */
final class CloudState {
    /** Option keys read from {@link Cloud#options()}; each is a ratio of at least 1, default 1. */
    static final String OVERCOMMIT_CPU = "overcommit.cpu";
    static final String OVERCOMMIT_MEMORY = "overcommit.memory";
    static final String OVERCOMMIT_DISK = "overcommit.disk";

    final Cloud cloud;
    final double cpuRatio;
    final double memRatio;
    final double diskRatio;
    /** Why the cloud's settings are unusable (names the option key), null when they are fine. */
    final String settingsError;
    /** Opaque (untorn, unordered) access to {@link #free}, written only under a host's lock. */
    static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** The hosts, and per host four longs (cpu, memory, disk, gpus) of effective capacity and of free capacity. */
    Slot[] slots = new Slot[0];
    long[] cap = new long[0];
    long[] free = new long[0];
    /** Per host the reciprocal of effective CPU and memory capacity (0 when the capacity is 0), for scoring. */
    double[] invCpu = new double[0];
    double[] invMem = new double[0];
    double[] invDisk = new double[0];

    CloudState(Cloud cloud) {
        this.cloud = cloud;
        String[] error = new String[1];
        cpuRatio = ratio(cloud, OVERCOMMIT_CPU, error);
        memRatio = ratio(cloud, OVERCOMMIT_MEMORY, error);
        diskRatio = ratio(cloud, OVERCOMMIT_DISK, error);
        settingsError = error[0];
    }

    /** Sets the hosts; {@code firstIndex} is the engine-wide index of the first one. */
    void hosts(List<Host> hosts, int firstIndex) {
        int n = hosts.size();
        slots = new Slot[n];
        cap = new long[4 * n];
        free = new long[4 * n];
        invCpu = new double[n];
        invMem = new double[n];
        invDisk = new double[n];
        for (int i = 0; i < n; i++) {
            Host h = hosts.get(i);
            cap[4 * i] = (long) Math.floor(h.capacity().cpuMillis() * cpuRatio);
            cap[4 * i + 1] = (long) Math.floor(h.capacity().memoryMiB() * memRatio);
            cap[4 * i + 2] = (long) Math.floor(h.capacity().diskGiB() * diskRatio);
            cap[4 * i + 3] = h.capacity().gpus();
            free[4 * i] = cap[4 * i] - h.allocated().cpuMillis();
            free[4 * i + 1] = cap[4 * i + 1] - h.allocated().memoryMiB();
            free[4 * i + 2] = cap[4 * i + 2] - h.allocated().diskGiB();
            free[4 * i + 3] = cap[4 * i + 3] - h.allocated().gpus();
            invCpu[i] = cap[4 * i] > 0 ? 1.0 / cap[4 * i] : 0;
            invMem[i] = cap[4 * i + 1] > 0 ? 1.0 / cap[4 * i + 1] : 0;
            invDisk[i] = cap[4 * i + 2] > 0 ? 1.0 / cap[4 * i + 2] : 0;
            slots[i] = new Slot(firstIndex + i, this, i, h);
        }
        isListed = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (free[4 * i] < cap[4 * i] || free[4 * i + 1] < cap[4 * i + 1] || free[4 * i + 2] < cap[4 * i + 2]
                    || free[4 * i + 3] < cap[4 * i + 3]) {
                listInUse(i);
            }
        }
    }

    /** Hosts that hold or held something, in the order they were first used; grows under this object's lock. */
    volatile int[] listed = new int[0];
    volatile int listedCount;
    boolean[] isListed = new boolean[0];
    /** Hosts by their pack score when empty (best first, then by position), for work without and with GPUs. */
    int[] emptyOrder = new int[0];
    int[] emptyOrderGpu = new int[0];
    private double[] emptyScore = new double[0];
    private double[] emptyScoreGpu = new double[0];

    /** Lists host {@code local} as in use, once. */
    synchronized void listInUse(int local) {
        if (isListed[local]) {
            return;
        }
        int n = listedCount;
        int[] a = listed;
        if (n == a.length) {
            a = java.util.Arrays.copyOf(a, Math.max(16, 2 * n));
            a[n] = local;
            listed = a;
        } else {
            a[n] = local;
        }
        isListed[local] = true;
        listedCount = n + 1;
        advanceHeadroom();
    }

    /**
     * Memory of the largest host of this cloud that is up and has never held anything (GPU hosts only once no other
     * is left), against the largest host of every cloud: 1 while this cloud can still open a host as large as any,
     * 0 once every host was used. A cursor over {@link #emptyOrder} that only moves forward (hosts stay listed).
     */
    volatile double headroom;
    private int emptyCursor;
    private long maxMem = 1;

    private void advanceHeadroom() {
        int[] order = emptyOrder;
        while (emptyCursor < order.length && (isListed[order[emptyCursor]] || !slots[order[emptyCursor]].up)) {
            emptyCursor++;
        }
        headroom = emptyCursor < order.length ? cap[4 * order[emptyCursor] + 1] / (double) maxMem : 0;
    }

    /**
     * Pack score of empty host {@code local}: 0.2 to 0.59 by its memory against the largest host's, so the largest
     * empty host is opened first; a fifth of that for an empty GPU host when the work needs no GPU.
     */
    double emptyScore(int local, boolean needsGpu) {
        return needsGpu ? emptyScoreGpu[local] : emptyScore[local];
    }

    /** Computes the empty-host scores and orders once every cloud's hosts are known. */
    void orderEmpty(long maxMem) {
        int n = slots.length;
        emptyScore = new double[n];
        emptyScoreGpu = new double[n];
        for (int i = 0; i < n; i++) {
            emptyScoreGpu[i] = 0.2 + 0.39 * cap[4 * i + 1] / maxMem;
            emptyScore[i] = cap[4 * i + 3] > 0 ? 0.2 * emptyScoreGpu[i] : emptyScoreGpu[i];
        }
        emptyOrder = order(emptyScore);
        emptyOrderGpu = order(emptyScoreGpu);
        synchronized (this) {
            this.maxMem = maxMem;
            advanceHeadroom();
        }
    }

    private static int[] order(double[] score) {
        return java.util.stream.IntStream.range(0, score.length).boxed()
                .sorted((a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
    }

    boolean usable() {
        return settingsError == null;
    }

    private static double ratio(Cloud cloud, String key, String[] error) {
        String v = cloud.options().get(key);
        if (v == null || v.isBlank()) {
            return 1;
        }
        try {
            double r = Double.parseDouble(v.trim());
            if (r >= 1 && r <= 100) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        if (error[0] == null) {
            error[0] = "option " + key + " of cloud '" + cloud.id() + "' must be a number from 1 to 100, got '" + v + "'";
        }
        return 1;
    }
}
