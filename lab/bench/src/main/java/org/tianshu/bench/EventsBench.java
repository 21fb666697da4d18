package org.tianshu.bench;

import static org.tianshu.bench.Bench.figure;
import static org.tianshu.bench.Bench.load;
import static org.tianshu.bench.Bench.median;
import static org.tianshu.bench.Bench.note;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.builder.RouteBuilder;
import org.tianshu.adapter.influxdb.InfluxSink;
import org.tianshu.adapter.influxdb.LineProtocol;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PathRequest;
import org.tianshu.api.plane.Protection;
import org.tianshu.events.EventBus;
import org.tianshu.integration.CamelRuntime;
import org.tianshu.integration.LinkDownAction;
import org.tianshu.integration.LinkDownRoute;
import org.tianshu.metrics.MetricsHub;
import org.tianshu.metrics.PointMapper;
import org.tianshu.slicing.PathEngine;

/**
 * Events through Camel into the real InfluxDB ({@code lab/influx.sh}, 127.0.0.1:8086) against a raw line-protocol bulk
 * write of the same points to the same server, and the event-to-action latency of the link-down route.
 *
 * <p>Camel path: {@code bench.events.count} events published on the event bus, delivered to the Camel context in the
 * batches the bus drains (one exchange per batch), route {@code tianshu-events:bench-metrics?batch=true} maps each
 * event to its metric point ({@link MetricsHub}, as the runtime does) and
 * hands it to the InfluxDB sink ({@code adapters/influxdb}: batches of {@code bench.events.batch}, {@code
 * bench.events.writers} requests in flight, by default the sink's own default); timed from the first publication until
 * the sink has written every point. Raw path: the same points serialised to line protocol (the
 * sink's own {@link LineProtocol}) and POSTed to {@code /write} with the JDK's HTTP client in batches of the same size,
 * one after the other, serialisation included. Each path writes to
 * its own database; a warm-up run of each path, then {@code bench.runs} runs alternating which path goes first, each
 * path after a full GC; medians reported.
 *
 * <p>Link down: a generated backbone ({@link Backbone}) with {@code bench.linkdown.reservations} reservations; for
 * each of {@code bench.linkdown.samples} busy links, from publishing LINK_DOWN on the bus until the last PLANE_REROUTED
 * or PLANE_REROUTE_REFUSED event of that link reaches a bus listener; the link is then brought up again.
 */
final class EventsBench {
    private static final String INFLUX = System.getProperty("bench.influx", "http://127.0.0.1:8086");
    private static final String CAMEL_DB = "tianshu_bench_camel";
    private static final String RAW_DB = "tianshu_bench_raw";

    private final int count = Integer.getInteger("bench.events.count", 200_000);
    private final int batch = Integer.getInteger("bench.events.batch", 5_000);
    private final int runs = Integer.getInteger("bench.runs", 3);
    private final int writers = Integer.getInteger("bench.events.writers", InfluxSink.DEFAULT_WRITERS);
    private final int reservations = Integer.getInteger("bench.linkdown.reservations", 3_000);
    private final int samples = Integer.getInteger("bench.linkdown.samples", 200);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    void run() throws Exception {
        figure("events: %d events per run, batches of %d, sink writers %d, %d runs, InfluxDB %s, %d cores, load %s", count,
                batch, writers, runs, INFLUX, Runtime.getRuntime().availableProcessors(), load());
        query("CREATE DATABASE " + CAMEL_DB);
        query("CREATE DATABASE " + RAW_DB);
        try {
            throughput();
        } finally {
            query("DROP DATABASE " + CAMEL_DB);
            query("DROP DATABASE " + RAW_DB);
        }
        linkDownLatency();
    }

    private void throughput() throws Exception {
        // warm-up: one small run of each path
        camelRun(events(Math.min(count, 20_000), Instant.now().minusSeconds(3600)));
        rawRun(points(events(Math.min(count, 20_000), Instant.now().minusSeconds(3600))));
        List<Double> camel = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Instant base = Instant.now().minusSeconds(60L * (r + 1));
            List<Event> events = events(count, base);
            List<MetricPoint> points = points(events);
            // alternate which path goes first, so that neither always meets the other's leftovers (GC, server compaction)
            double rawRate;
            double camelRate;
            if (r % 2 == 0) {
                rawRate = rawRun(points);
                camelRate = camelRun(events);
            } else {
                camelRate = camelRun(events);
                rawRate = rawRun(points);
            }
            raw.add(rawRate);
            camel.add(camelRate);
            ratios.add(camelRate / rawRate);
            note("run %d: camel %.0f points/s, raw %.0f points/s, load %s", r + 1, camelRate, rawRate, load());
        }
        figure("events: through Camel into InfluxDB %.0f points/s (median; runs %s)", median(camel), rounded(camel));
        figure("events: raw line-protocol bulk write %.0f points/s (median; runs %s)", median(raw), rounded(raw));
        figure("events: ratio camel/raw %.2f (median of the runs' ratios %s; target >= 0.8), load %s", median(ratios),
                ratios.stream().map(x -> String.format(java.util.Locale.ROOT, "%.2f", x)).toList(), load());
    }

    private static List<Long> rounded(List<Double> v) {
        return v.stream().map(Math::round).toList();
    }

    /** Events of a few kinds over 20 clouds and 50 departments, one microsecond apart from {@code base}. */
    private static List<Event> events(int n, Instant base) {
        EventType[] types = {EventType.RESOURCE_CREATED, EventType.RESOURCE_DELETED, EventType.PROVISIONING_STEP,
            EventType.QUOTA_NEAR_LIMIT, EventType.CLOUD_SYNCED};
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Event(types[i % types.length], "workload/w" + i, "dept-" + (i % 50), "cloud-" + (i % 20),
                    Map.of("state", i % 3 == 0 ? "ACTIVE" : "BUILD", "step", Integer.toString(i % 7)),
                    base.plusNanos(i * 1000L)));
        }
        return out;
    }

    private static List<MetricPoint> points(List<Event> events) {
        List<MetricPoint> out = new ArrayList<>(events.size());
        for (Event e : events) {
            out.add(PointMapper.event(e));
        }
        return out;
    }

    /**
     * Before each timed path: a full collection, so that neither path pays for promoting the run's inputs (200,000
     * events and their points, just made) or for the other path's garbage.
     */
    private static void settle() {
        System.gc();
    }

    /** Points per second from the first publication until InfluxDB acknowledged the last point. */
    private double camelRun(List<Event> events) throws Exception {
        try (InfluxSink sink = InfluxSink.connect(INFLUX, CAMEL_DB, "", "", batch, Duration.ofMillis(50),
                events.size() + batch, Duration.ofSeconds(2), writers);
                EventBus bus = new EventBus(events.size() + 1);
                CamelRuntime camel = new CamelRuntime("bench", bus)) {
            MetricsHub hub = new MetricsHub();
            hub.addSink(sink);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tianshu-events:bench-metrics?batch=true").routeId("bench-metrics")
                            .process(x -> {
                                @SuppressWarnings("unchecked")
                                List<Event> batch = x.getMessage().getBody(List.class);
                                hub.onEvents(batch);
                            });
                }
            });
            bus.addListener(camel);
            settle();
            long t0 = System.nanoTime();
            for (Event e : events) {
                bus.publish(e);
            }
            long published = System.nanoTime();
            long delivered = 0;
            long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
            while (sink.stats().written() < events.size()) {
                if (delivered == 0 && bus.stats().delivered() == events.size()) {
                    delivered = System.nanoTime();
                }
                if (System.nanoTime() > deadline || sink.stats().dropped() > 0 || bus.stats().dropped() > 0) {
                    throw new IllegalStateException("camel run incomplete: sink " + sink.stats() + ", bus " + bus.stats());
                }
                Thread.sleep(1);
            }
            long t1 = System.nanoTime();
            note("camel run: published in %d ms, delivered by the bus (mapped, handed to the sink) after %d ms, written"
                    + " after %d ms", (published - t0) / 1_000_000, ((delivered == 0 ? t1 : delivered) - t0) / 1_000_000,
                    (t1 - t0) / 1_000_000);
            return events.size() / ((t1 - t0) / 1e9);
        }
    }

    /** Points per second: serialised to line protocol and POSTed batch after batch. */
    private double rawRun(List<MetricPoint> points) throws Exception {
        settle();
        long t0 = System.nanoTime();
        for (int from = 0; from < points.size(); from += batch) {
            StringBuilder body = new StringBuilder(batch * 160);
            for (MetricPoint p : points.subList(from, Math.min(points.size(), from + batch))) {
                LineProtocol.append(p, body);
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(INFLUX + "/write?db=" + RAW_DB
                    + "&precision=ns")).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 204) {
                throw new IOException("raw write: HTTP " + r.statusCode() + " " + r.body());
            }
        }
        return points.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private void query(String q) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(INFLUX + "/query?q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(q + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    private void linkDownLatency() throws Exception {
        Backbone b = new Backbone(1000, 10, 7);
        PathEngine engine = new PathEngine();
        engine.load(b.topology);
        Random rnd = new Random(7);
        List<String> sites = new ArrayList<>(b.townships);
        sites.addAll(b.counties);
        int admitted = 0;
        for (int i = 0; i < reservations; i++) {
            String from = sites.get(rnd.nextInt(sites.size()));
            String to = sites.get(rnd.nextInt(sites.size()));
            if (from.equals(to)) {
                continue;
            }
            try {
                engine.reserve(new PathRequest("plane-" + (i % 8) + "/" + i, from, to, 10, PathRequest.NO_LATENCY_BOUND,
                        i % 4 == 0 ? Protection.ONE_PLUS_ONE_SRLG_DISJOINT : Protection.NONE));
                admitted++;
            } catch (RuntimeException refused) {
                // a pair without a disjoint backup: left out
            }
        }
        List<Double> micros = new ArrayList<>();
        List<Integer> affected = new ArrayList<>();
        AtomicReference<String> watched = new AtomicReference<>();
        AtomicReference<CountDownLatch> done = new AtomicReference<>(new CountDownLatch(0));
        try (EventBus bus = new EventBus(100_000); CamelRuntime camel = new CamelRuntime("bench", bus)) {
            camel.addRoutes(new LinkDownRoute(new LinkDownAction(() -> engine)));
            bus.addListener(camel);
            bus.addListener(e -> {
                if ((e.type() == EventType.PLANE_REROUTED || e.type() == EventType.PLANE_REROUTE_REFUSED)
                        && e.attributes().get("link").equals(watched.get())) {
                    done.get().countDown();
                }
            });
            List<String> busy = busyLinks(engine);
            int warm = Math.min(20, busy.size() / 4);
            for (int i = 0; i < busy.size() && micros.size() < samples; i++) {
                String link = busy.get(i);
                int expected = crossing(engine, link);
                if (expected == 0) {
                    continue;
                }
                CountDownLatch latch = new CountDownLatch(expected);
                done.set(latch);
                watched.set(link);
                long t0 = System.nanoTime();
                bus.publish(Event.now(EventType.LINK_DOWN, "link/" + link, null, null, Map.of("link", link)));
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("link " + link + ": " + latch.getCount() + " of " + expected
                            + " reservations not reported within 30 s");
                }
                long t1 = System.nanoTime();
                engine.linkUp(link);
                if (i >= warm) {
                    micros.add((t1 - t0) / 1e3);
                    affected.add(expected);
                }
            }
        }
        List<Double> sorted = micros.stream().sorted().toList();
        figure("linkdown: %d reservations admitted on %d routers; %d links taken down (after %d warm-up), %d-%d"
                + " reservations each (median %.0f)", admitted, b.topology.routers().size(), sorted.size(),
                Math.min(20, busyLinks(engine).size() / 4), affected.stream().mapToInt(Integer::intValue).min().orElse(0),
                affected.stream().mapToInt(Integer::intValue).max().orElse(0),
                median(affected.stream().map(Integer::doubleValue).toList()));
        figure("linkdown: event-to-action latency p50 %.2f ms, p99 %.2f ms, max %.2f ms", pct(sorted, 50) / 1e3,
                pct(sorted, 99) / 1e3, sorted.get(sorted.size() - 1) / 1e3);
    }

    /** Links carrying reservations, busiest first. */
    private static List<String> busyLinks(PathEngine engine) {
        Map<String, Integer> n = new HashMap<>();
        for (PathAnswer a : engine.reservations()) {
            a.primary().links().forEach(l -> n.merge(l, 1, Integer::sum));
            if (a.backup() != null) {
                a.backup().links().forEach(l -> n.merge(l, 1, Integer::sum));
            }
        }
        return n.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(Map.Entry::getKey).toList();
    }

    private static int crossing(PathEngine engine, String link) {
        int n = 0;
        for (PathAnswer a : engine.reservations()) {
            if (a.primary().links().contains(link) || (a.backup() != null && a.backup().links().contains(link))) {
                n++;
            }
        }
        return n;
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
