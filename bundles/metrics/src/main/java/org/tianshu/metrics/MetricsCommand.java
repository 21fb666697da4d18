package org.tianshu.metrics;

import java.io.PrintStream;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.SinkStats;

/** {@code tianshu:metrics}: the latest value of every series, events by type, and each sink's counters. */
@Service
@Command(scope = "tianshu", name = "metrics", description = "Shows the latest metrics, events by type and the metrics sinks")
public class MetricsCommand implements Action {
    @Reference
    MetricsView metrics;

    @Override
    public Object execute() {
        print(metrics, System.out);
        return null;
    }

    static void print(MetricsView view, PrintStream out) {
        out.println("Series (latest value):");
        for (MetricPoint p : view.latest()) {
            out.printf("  %s %s  at %s%n", p.seriesKey(), p.fields(), p.time());
        }
        out.println("Events by type:");
        view.eventCounts().forEach((type, n) -> out.printf("  %-24s %d%n", type, n));
        Map<String, SinkStats> sinks = view.sinks();
        if (sinks.isEmpty()) {
            out.println("Sinks: none configured (metrics kept in memory only)");
        } else {
            out.println("Sinks:");
            sinks.forEach((name, s) -> out.printf("  %s: written %d, buffered %d, dropped %d%s%n", name, s.written(),
                    s.buffered(), s.dropped(), s.lastError() == null ? "" : ", last error: " + s.lastError()));
        }
    }
}
