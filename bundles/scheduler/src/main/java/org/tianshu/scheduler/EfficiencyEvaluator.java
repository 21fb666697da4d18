package org.tianshu.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.tianshu.api.Resources;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.metrics.Measurements;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.scheduling.Efficiency;
import org.tianshu.api.scheduling.Efficiency.HostLine;
import org.tianshu.api.scheduling.Efficiency.Line;
import org.tianshu.api.scheduling.Efficiency.WorkloadLine;
import org.tianshu.api.scheduling.Usage;

/**
 * Judges allocation against capacity after each cloud's overcommit ratios, measured use where reported, overload,
 * fragmentation and idleness. Idleness needs history: every evaluation remembers since when each workload has
 * been below the idle threshold (keyed {@code cloud/externalId}; {@link #lowSince()} for keeping it), so
 * evaluations must run at least as often as the idle period is long.
 */
final class EfficiencyEvaluator {
    /**
     * Thresholds.
     *
     * @param overload allocation or measured use above which a host is overloaded, e.g. 0.9
     * @param idleUse measured CPU use (of the workload's allocation) below which a workload is idle, e.g. 0.05
     * @param idlePeriod how long it must stay below to count as idle
     * @param reference the workload size fragmentation is judged by: free capacity that cannot hold one is stranded
     */
    record Settings(double overload, double idleUse, Duration idlePeriod, Resources reference) {
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Instant> lowSince = new ConcurrentHashMap<>();

    EfficiencyEvaluator(Settings settings, Clock clock) {
        this(settings, clock, Map.of());
    }

    /** An evaluator that carries on the history {@code lowSince} kept from before. */
    EfficiencyEvaluator(Settings settings, Clock clock, Map<String, Instant> lowSince) {
        this.settings = settings;
        this.clock = clock;
        this.lowSince.putAll(lowSince);
    }

    /** Since when each workload ({@code cloud/externalId}) has been below the idle threshold. */
    Map<String, Instant> lowSince() {
        return Map.copyOf(lowSince);
    }

    /** Evaluates the inventory; {@code departmentCapacity} gives a department's capacity (its quota), null for none. */
    Efficiency evaluate(List<Cloud> clouds, List<Host> hosts, List<Workload> workloads, List<Usage> usage,
            Function<String, Resources> departmentCapacity) {
        Instant now = clock.instant();
        Map<String, Double> hostUse = new HashMap<>();
        Map<String, Double> workloadUse = new HashMap<>();
        for (Usage u : usage) {
            if (u.workloadId() == null) {
                hostUse.put(u.cloudId() + "/" + u.host(), u.cpu());
            } else {
                workloadUse.put(u.cloudId() + "/" + u.workloadId(), u.cpu());
            }
        }
        Map<String, CloudState> ratios = new HashMap<>();
        for (Cloud c : clouds) {
            ratios.put(c.id(), new CloudState(c));
        }
        List<HostLine> hostLines = new ArrayList<>();
        Map<String, Totals> perCloud = new TreeMap<>();
        for (Host h : hosts) {
            CloudState cs = ratios.get(h.cloudId());
            if (cs == null || !h.up()) {
                continue;
            }
            Resources cap = new Resources((long) Math.floor(h.capacity().cpuMillis() * cs.cpuRatio),
                    (long) Math.floor(h.capacity().memoryMiB() * cs.memRatio), (long) Math.floor(h.capacity().diskGiB() * cs.diskRatio),
                    h.capacity().gpus());
            Double use = hostUse.get(h.cloudId() + "/" + h.name());
            double cpuA = ratio(h.allocated().cpuMillis(), cap.cpuMillis());
            double memA = ratio(h.allocated().memoryMiB(), cap.memoryMiB());
            boolean overloaded = cpuA > settings.overload() || memA > settings.overload() || use != null && use > settings.overload();
            long[] stranded = stranded(cap.minus(h.allocated()));
            hostLines.add(new HostLine(h.cloudId(), h.name(), cap, h.allocated(), cpuA, memA, use, overloaded,
                    ratio(stranded[0], stranded[1])));
            Totals t = perCloud.computeIfAbsent(h.cloudId(), k -> new Totals());
            t.add(cap, h.allocated(), use == null ? null : use * cap.cpuMillis());
            t.hosts++;
            t.overloaded += overloaded ? 1 : 0;
            t.empty += h.allocated().equals(Resources.ZERO) ? 1 : 0;
            t.strandedCpu += stranded[0];
            t.freeCpu += stranded[1];
        }
        List<WorkloadLine> workloadLines = new ArrayList<>();
        Map<String, Totals> perDepartment = new TreeMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Workload w : workloads) {
            String key = w.cloudId() + "/" + w.externalId();
            seen.add(key);
            Double use = workloadUse.get(key);
            Instant since = null;
            if (use != null && use < settings.idleUse()) {
                since = lowSince.computeIfAbsent(key, k -> now);
            } else if (use != null) {
                lowSince.remove(key);
            } else {
                since = lowSince.get(key);
            }
            boolean idle = since != null && !Duration.between(since, now).minus(settings.idlePeriod()).isNegative();
            workloadLines.add(new WorkloadLine(w.cloudId(), w.externalId(), w.name(), w.departmentId(), w.host(),
                    w.resources(), use, since, idle));
            if (idle && perCloud.containsKey(w.cloudId())) {
                perCloud.get(w.cloudId()).idle++;
            }
            if (w.departmentId() != null) {
                Totals t = perDepartment.computeIfAbsent(w.departmentId(), k -> new Totals());
                t.add(Resources.ZERO, w.resources(), use == null ? null : use * w.resources().cpuMillis());
                t.idle += idle ? 1 : 0;
            }
        }
        lowSince.keySet().retainAll(seen);
        Resources province = perCloud.values().stream().map(t -> t.capacity).reduce(Resources.ZERO, Resources::plus);
        List<Line> cloudLines = new ArrayList<>();
        perCloud.forEach((id, t) -> cloudLines.add(t.line(id, t.capacity)));
        List<Line> departmentLines = new ArrayList<>();
        perDepartment.forEach((id, t) -> {
            Resources quota = departmentCapacity.apply(id);
            departmentLines.add(t.line(id, quota != null ? quota : province));
        });
        hostLines.sort(Comparator.comparing(HostLine::cloudId).thenComparing(HostLine::host));
        workloadLines.sort(Comparator.comparing(WorkloadLine::cloudId).thenComparing(WorkloadLine::externalId));
        return new Efficiency(now, cloudLines, departmentLines, hostLines, workloadLines);
    }

    /** The free CPU no reference workload can use, and the free CPU, of a host with {@code free} capacity. */
    private long[] stranded(Resources free) {
        long cpu = Math.max(0, free.cpuMillis());
        long mem = Math.max(0, free.memoryMiB());
        Resources ref = settings.reference();
        long fits = Math.min(ref.cpuMillis() > 0 ? cpu / ref.cpuMillis() : Long.MAX_VALUE,
                ref.memoryMiB() > 0 ? mem / ref.memoryMiB() : Long.MAX_VALUE);
        long usable = Math.min(cpu, fits * ref.cpuMillis());
        return new long[] {cpu - usable, cpu};
    }

    private static double ratio(long part, long whole) {
        return whole <= 0 ? 0 : (double) part / whole;
    }

    /** The evaluation as metric points: measurement {@code efficiency}, tagged by level and id. */
    static List<MetricPoint> points(Efficiency e) {
        List<MetricPoint> points = new ArrayList<>();
        for (Line l : e.clouds()) {
            points.add(new MetricPoint(Measurements.EFFICIENCY, Map.of("level", "cloud", "cloud", l.id()), fields(l), e.at()));
        }
        for (Line l : e.departments()) {
            points.add(new MetricPoint(Measurements.EFFICIENCY, Map.of("level", "department", "department", l.id()), fields(l), e.at()));
        }
        for (HostLine h : e.hosts()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("cpu_allocation", h.cpuAllocation());
            f.put("memory_allocation", h.memoryAllocation());
            f.put("fragmentation", h.fragmentation());
            f.put("overloaded", h.overloaded());
            if (h.cpuUse() != null) {
                f.put("cpu_use", h.cpuUse());
            }
            points.add(new MetricPoint(Measurements.EFFICIENCY, Map.of("level", "host", "cloud", h.cloudId(), "host", h.host()), f, e.at()));
        }
        return points;
    }

    private static Map<String, Object> fields(Line l) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("cpu_allocation", l.cpuAllocation());
        f.put("memory_allocation", l.memoryAllocation());
        f.put("fragmentation", l.fragmentation());
        f.put("hosts", l.hosts());
        f.put("overloaded_hosts", l.overloadedHosts());
        f.put("empty_hosts", l.emptyHosts());
        f.put("idle_workloads", l.idleWorkloads());
        if (l.cpuUse() != null) {
            f.put("cpu_use", l.cpuUse());
        }
        return f;
    }

    /** Sums of a cloud or department. */
    private static final class Totals {
        Resources capacity = Resources.ZERO;
        Resources allocated = Resources.ZERO;
        double usedCpu;
        boolean measured;
        int hosts;
        int overloaded;
        int empty;
        int idle;
        long strandedCpu;
        long freeCpu;

        void add(Resources cap, Resources alloc, Double usedMillis) {
            capacity = capacity.plus(cap);
            allocated = allocated.plus(alloc);
            if (usedMillis != null) {
                measured = true;
                usedCpu += usedMillis;
            }
        }

        Line line(String id, Resources of) {
            return new Line(id, of, allocated, ratio(allocated.cpuMillis(), of.cpuMillis()),
                    ratio(allocated.memoryMiB(), of.memoryMiB()), measured && of.cpuMillis() > 0 ? usedCpu / of.cpuMillis() : null,
                    hosts, overloaded, empty, idle, ratio(strandedCpu, freeCpu));
        }
    }
}
