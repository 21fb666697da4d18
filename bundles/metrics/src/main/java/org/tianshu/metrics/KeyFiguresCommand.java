package org.tianshu.metrics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.SinkStats;

/**
 * {@code tianshu:key-figures}: what the three users look at first, from the latest metrics: allocation of the whole
 * province and of its busiest clouds, events of the business planes and of disaster recovery, and whether metrics
 * reach InfluxDB.
 */
@Service
@Command(scope = "tianshu", name = "key-figures", description = "Prints the current key figures: capacity, planes, disaster recovery, metrics delivery")
public class KeyFiguresCommand implements Action {
    /** Event types shown per user, lower case as in the {@code events} measurement. */
    static final List<String> PLANE_EVENTS = List.of("plane_slo_violated", "plane_slo_restored", "link_down", "link_up",
            "plane_rerouted", "plane_reroute_refused");
    static final List<String> DR_EVENTS = List.of("site_unreachable", "protection_rpo_exceeded", "dr_step_started",
            "dr_step_finished", "dr_step_failed", "recommendation_decided");

    @Reference
    MetricsView metrics;

    @Override
    public Object execute() {
        print(metrics, System.out);
        return null;
    }

    static void print(MetricsView view, PrintStream out) {
        List<MetricPoint> clouds = new ArrayList<>();
        for (MetricPoint p : view.latest()) {
            if (PointMapper.CAPACITY.equals(p.measurement())) {
                clouds.add(p);
            }
        }
        out.println("Capacity (latest sample of " + clouds.size() + " clouds):");
        if (clouds.isEmpty()) {
            out.println("  no capacity sampled yet");
        } else {
            out.printf(Locale.ROOT, "  province  cpu %s  memory %s  disk %s  gpus %s  hosts %d  workloads %d%n",
                    share(clouds, "cpu"), share(clouds, "memory"), share(clouds, "disk"), share(clouds, "gpus"),
                    sum(clouds, "hosts"), sum(clouds, "workloads"));
            clouds.sort(Comparator.comparingDouble((MetricPoint p) -> ratio(List.of(p), "cpu")).reversed());
            for (MetricPoint p : clouds.subList(0, Math.min(5, clouds.size()))) {
                out.printf(Locale.ROOT, "  %-9s cpu %s  memory %s%n", p.tags().get("cloud"), share(List.of(p), "cpu"),
                        share(List.of(p), "memory"));
            }
        }
        Map<String, Long> counts = view.eventCounts();
        out.println("Business planes (events since start): " + counted(counts, PLANE_EVENTS));
        out.println("Disaster recovery (events since start): " + counted(counts, DR_EVENTS));
        Map<String, SinkStats> sinks = view.sinks();
        if (sinks.isEmpty()) {
            out.println("Metrics: kept in memory only (no InfluxDB configured)");
        }
        sinks.forEach((name, s) -> out.printf("Metrics: %s %s, written %d, buffered %d, dropped %d%n", name,
                s.lastError() == null ? "ok" : "FAILING (" + s.lastError() + ")", s.written(), s.buffered(),
                s.dropped()));
    }

    private static String counted(Map<String, Long> counts, List<String> types) {
        StringBuilder b = new StringBuilder();
        for (String t : types) {
            b.append(b.length() == 0 ? "" : ", ").append(t).append(' ').append(counts.getOrDefault(t, 0L));
        }
        return b.toString();
    }

    /** {@code 63.0% (40/64)}-style share of allocated to capacity, or {@code -} without capacity. */
    private static String share(List<MetricPoint> points, String resource) {
        double r = ratio(points, resource);
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r);
    }

    private static double ratio(List<MetricPoint> points, String resource) {
        String[] keys = switch (resource) {
            case "cpu" -> new String[] {"cpu_allocated_millis", "cpu_capacity_millis"};
            case "memory" -> new String[] {"memory_allocated_mib", "memory_capacity_mib"};
            case "disk" -> new String[] {"disk_allocated_gib", "disk_capacity_gib"};
            default -> new String[] {"gpus_allocated", "gpus_capacity"};
        };
        long capacity = sum(points, keys[1]);
        return capacity <= 0 ? Double.NaN : (double) sum(points, keys[0]) / capacity;
    }

    private static long sum(List<MetricPoint> points, String field) {
        long s = 0;
        for (MetricPoint p : points) {
            if (p.fields().get(field) instanceof Number n) {
                s += n.longValue();
            }
        }
        return s;
    }
}
