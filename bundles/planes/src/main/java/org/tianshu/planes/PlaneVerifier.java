package org.tianshu.planes;

import inet.ipaddr.IPAddressString;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.metrics.Measurements;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.plane.Connectivity;
import org.tianshu.api.plane.Plane;
import org.tianshu.api.plane.PlaneProbe;
import org.tianshu.api.plane.PlaneService;
import org.tianshu.api.plane.PlaneState;
import org.tianshu.api.plane.ProbeResult;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SloCheck;
import org.tianshu.api.plane.Slo;

/**
 * SLO verification: probes, through a {@link PlaneProbe}, every pair of sites of each realised plane that talk to each
 * other (both directions, IPv6 and, for dual stack, IPv4) and compares latency (half the median round trip) and loss
 * with the plane's {@link Slo}; probes from one of its sites to a site of every other plane must all be lost
 * (isolation). With a rate duration set and a plane's {@code minBandwidthMbps} above 0, each pair's IPv6 path also gets
 * a rate probe ({@link PlaneProbe#rateMbps}) offering a quarter more than the minimum, after the echo probes and one at
 * a time (a rate probe fills queues: echo probes beside it would measure it, not the path), and the delivered rate is
 * compared with the minimum (a rate probe that fails is logged and leaves its check unmeasured). The target of a probe
 * is the first address of the site's prefix, where the site's equipment answers. Each round's results are kept per
 * plane (for {@code status}); a check that starts failing publishes {@link EventType#PLANE_SLO_VIOLATED}, one that
 * passes again {@link EventType#PLANE_SLO_RESTORED}; every SLO check becomes a {@code plane_slo} metric point.
 */
public final class PlaneVerifier implements AutoCloseable {
    /** Measurement of the points written per SLO check. */
    public static final String MEASUREMENT = Measurements.PLANE_SLO;
    private static final Logger LOG = LoggerFactory.getLogger(PlaneVerifier.class);

    /** The last verification of a plane: compliant when every check is. */
    public record Verification(boolean compliant, List<SloCheck> checks) {
    }

    /**
     * Settings.
     *
     * @param probes      echo probes per check (sent 100 a second)
     * @param parallelism checks run at once
     * @param rate        how long each rate probe sends; zero: no rate probes
     */
    public record Settings(int probes, int parallelism, Duration rate) {
        /** Settings without rate probes. */
        public Settings(int probes, int parallelism) {
            this(probes, parallelism, Duration.ZERO);
        }

        public Settings {
            if (rate == null || rate.isNegative() || rate.toSeconds() > 10 || !rate.isZero() && rate.toMillis() < 100) {
                throw TianshuException.invalid("rate", "must be 0 (off) or 0.1 to 10 s, got " + rate);
            }
            if (probes < 1 || probes > 10_000) {
                throw TianshuException.invalid("probes", "must be 1 to 10000, got " + probes);
            }
            if (parallelism < 1 || parallelism > 64) {
                throw TianshuException.invalid("parallelism", "must be 1 to 64, got " + parallelism);
            }
        }
    }

    private final PlaneService planes;
    private final Supplier<Optional<PlaneProbe>> probe;
    private final Consumer<Event> events;
    private final Consumer<List<MetricPoint>> metrics;
    private final Settings settings;
    private final Clock clock;
    private final ExecutorService pool;
    private final Map<String, Verification> last = new ConcurrentHashMap<>();
    /** Per check key: true while it is violated (a VIOLATED event went out). */
    private final Map<String, Boolean> violated = new ConcurrentHashMap<>();

    public PlaneVerifier(PlaneService planes, Supplier<Optional<PlaneProbe>> probe, Consumer<Event> events,
            Consumer<List<MetricPoint>> metrics, Settings settings, Clock clock) {
        this.planes = planes;
        this.probe = probe;
        this.events = events;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.pool = Executors.newFixedThreadPool(settings.parallelism(), r -> {
            Thread t = new Thread(r, "plane-verifier");
            t.setDaemon(true);
            return t;
        });
    }

    /** The last verification of a plane, if it was verified since it was last applied. */
    public Optional<Verification> last(String plane) {
        return Optional.ofNullable(last.get(plane));
    }

    /**
     * One round over every plane that is {@link PlaneState#VERIFIED} or {@link PlaneState#DEGRADED}; nothing when no
     * probe is present. Returns the verifications by plane.
     */
    public synchronized Map<String, Verification> verifyAll() {
        Optional<PlaneProbe> p = probe.get();
        Map<String, Verification> out = new LinkedHashMap<>();
        if (p.isEmpty()) {
            return out;
        }
        List<Plane> all = planes.list(Caller.SYSTEM).stream()
                .filter(x -> (x.state() == PlaneState.VERIFIED || x.state() == PlaneState.DEGRADED) && x.realisation() != null)
                .toList();
        last.keySet().retainAll(all.stream().map(Plane::name).toList());
        violated.keySet().removeIf(k -> all.stream().noneMatch(x -> k.startsWith(x.name() + "|")));
        for (Plane plane : all) {
            Verification v = verify(plane, all, p.get());
            last.put(plane.name(), v);
            out.put(plane.name(), v);
        }
        return out;
    }

    private record Target(SiteBinding from, SiteBinding toSite, String to, String address, int family, boolean isolation) {
    }

    /** What a rate probe offers above the plane's minimum bandwidth. */
    static final double RATE_OFFER = 1.25;

    private Verification verify(Plane plane, List<Plane> all, PlaneProbe p) {
        List<Target> targets = new ArrayList<>();
        List<SiteBinding> sites = plane.realisation().sites();
        for (SiteBinding a : sites) {
            for (SiteBinding b : sites) {
                if (a == b || plane.intent().connectivity() == Connectivity.HUB_AND_SPOKE
                        && !a.site().equals(plane.intent().hub()) && !b.site().equals(plane.intent().hub())) {
                    continue;
                }
                targets.add(new Target(a, b, b.site(), host(b.ipv6Prefix()), 6, false));
                if (a.ipv4Prefix() != null && b.ipv4Prefix() != null) {
                    targets.add(new Target(a, b, b.site(), host(b.ipv4Prefix()), 4, false));
                }
            }
        }
        // isolation: from the plane's first site to every site of every other plane
        if (!sites.isEmpty()) {
            SiteBinding from = sites.get(0);
            for (Plane other : all) {
                if (other.name().equals(plane.name())) {
                    continue;
                }
                for (SiteBinding b : other.realisation().sites()) {
                    targets.add(new Target(from, b, other.name() + "/" + b.site(), host(b.ipv6Prefix()), 6, true));
                }
            }
        }
        List<Future<SloCheck>> running = targets.stream().map(t -> pool.submit(() -> check(plane, t, p))).toList();
        List<SloCheck> checks = new ArrayList<>();
        for (Future<SloCheck> f : running) {
            try {
                checks.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted verifying plane " + plane.name(), e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("verifying plane " + plane.name() + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
        double min = plane.intent().slo().minBandwidthMbps();
        if (!settings.rate().isZero() && min > 0) {
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                if (!t.isolation() && t.family() == 6 && checks.get(i).received() > 0) {
                    OptionalDouble rate;
                    try {
                        rate = p.rateMbps(t.from().attachment(), t.toSite().attachment(), t.address(), min * RATE_OFFER, settings.rate());
                    } catch (RuntimeException e) {
                        LOG.warn("plane {}: rate probe {} -> {} failed: {}", plane.name(), t.from().site(), t.to(), e.getMessage());
                        rate = OptionalDouble.empty();
                    }
                    checks.set(i, withRate(checks.get(i), rate, min));
                }
            }
        }
        publish(plane, checks);
        return new Verification(checks.stream().allMatch(SloCheck::compliant), checks);
    }

    private SloCheck check(Plane plane, Target t, PlaneProbe p) {
        ProbeResult r = p.probe(t.from().attachment(), t.address(), t.isolation() ? 2 : settings.probes());
        long latency = r.received() == 0 ? -1 : r.rttMicrosP50() / 2;
        String violation = null;
        if (t.isolation()) {
            if (r.received() > 0) {
                violation = "isolation: " + r.received() + " of " + r.sent() + " probes to another plane's site answered";
            }
        } else {
            Slo slo = plane.intent().slo();
            double lossPercent = 100 * r.loss();
            if (r.received() == 0) {
                violation = "reachability: none of " + r.sent() + " probes answered";
            } else if (slo.maxLossPercent() > 0 && lossPercent > slo.maxLossPercent()) {
                violation = String.format(Locale.ROOT, "loss: %.1f %% > %.1f %%", lossPercent, slo.maxLossPercent());
            } else if (slo.maxLatencyMs() > 0 && latency > slo.maxLatencyMs() * 1000) {
                violation = String.format(Locale.ROOT, "latency: %.2f ms > %.2f ms", latency / 1000.0, slo.maxLatencyMs());
            }
        }
        return new SloCheck(t.from().site(), t.to(), t.family(), t.isolation(), r.sent(), r.received(), latency, violation == null,
                violation, clock.instant());
    }

    /** The check with the delivered rate; a bandwidth violation unless it already violates something else. */
    private static SloCheck withRate(SloCheck c, OptionalDouble rate, double minMbps) {
        if (rate.isEmpty()) {
            return c;
        }
        double mbps = rate.getAsDouble();
        String violation = c.violation();
        if (violation == null && mbps < minMbps) {
            violation = String.format(Locale.ROOT, "bandwidth: %.1f Mbit/s < %.1f Mbit/s", mbps, minMbps);
        }
        return new SloCheck(c.from(), c.to(), c.family(), c.isolation(), c.sent(), c.received(), c.latencyMicros(),
                violation == null, violation, c.at(), mbps);
    }

    private void publish(Plane plane, List<SloCheck> checks) {
        List<MetricPoint> points = new ArrayList<>();
        String department = plane.intent().departments().isEmpty() ? null : plane.intent().departments().get(0);
        for (SloCheck c : checks) {
            String key = plane.name() + "|" + c.from() + "|" + c.to() + "|" + c.family();
            boolean was = violated.getOrDefault(key, false);
            if (!c.compliant() && !was) {
                violated.put(key, true);
                events.accept(event(EventType.PLANE_SLO_VIOLATED, plane, department, c));
                LOG.warn("plane {}: {} -> {} (IPv{}) {}", plane.name(), c.from(), c.to(), c.family(), c.violation());
            } else if (c.compliant() && was) {
                violated.remove(key);
                events.accept(event(EventType.PLANE_SLO_RESTORED, plane, department, c));
                LOG.info("plane {}: {} -> {} (IPv{}) meets its SLO again", plane.name(), c.from(), c.to(), c.family());
            }
            if (!c.isolation()) {
                Map<String, Object> fields = new LinkedHashMap<>();
                if (c.latencyMicros() >= 0) {
                    fields.put("latency_ms", c.latencyMicros() / 1000.0);
                }
                fields.put("loss", c.loss());
                if (c.bandwidthMbps() >= 0) {
                    fields.put("bandwidth_mbps", c.bandwidthMbps());
                }
                fields.put("compliant", c.compliant());
                points.add(new MetricPoint(MEASUREMENT, Map.of("plane", plane.name(), "from", c.from(), "to", c.to(),
                        "family", "ipv" + c.family()), fields, c.at()));
            }
        }
        if (!points.isEmpty()) {
            metrics.accept(points);
        }
    }

    private static Event event(EventType type, Plane plane, String department, SloCheck c) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("plane", plane.name());
        a.put("from", c.from());
        a.put("to", c.to());
        a.put("family", "ipv" + c.family());
        String v = c.violation();
        a.put("measure", v == null ? "all" : v.substring(0, v.indexOf(':')));
        if (v != null) {
            a.put("violation", v);
        }
        a.put("loss", String.format(Locale.ROOT, "%.3f", c.loss()));
        a.put("latency_ms", c.latencyMicros() < 0 ? "none" : String.format(Locale.ROOT, "%.3f", c.latencyMicros() / 1000.0));
        if (c.bandwidthMbps() >= 0) {
            a.put("bandwidth_mbps", String.format(Locale.ROOT, "%.1f", c.bandwidthMbps()));
        }
        return new Event(type, "plane/" + plane.name(), department, null, a, c.at());
    }

    /** The first address of a prefix, where the site's equipment answers. */
    static String host(String prefix) {
        return new IPAddressString(prefix).getAddress().getLower().withoutPrefixLength().increment(1).toCanonicalString();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
