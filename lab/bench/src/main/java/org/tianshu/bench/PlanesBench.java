package org.tianshu.bench;

import static org.tianshu.bench.Bench.figure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.AddressFamily;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Connectivity;
import org.tianshu.api.plane.Isolation;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneSite;
import org.tianshu.api.plane.Protection;
import org.tianshu.api.plane.Slo;
import org.tianshu.api.plane.Topology;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.testing.InMemoryNetworkController;
import org.tianshu.persistence.Database;
import org.tianshu.planes.PlaneManager;
import org.tianshu.planes.Pools;
import org.tianshu.quota.Departments;
import org.tianshu.slicing.PathEngine;

/**
 * The {@code planes} scenario: the plane manager of {@code org.tianshu.planes} end to end except the network (the
 * API test jar's in-memory controller), on the generated provincial backbone ({@link Backbone}) and an embedded H2
 * database. Applies {@code bench.planes.count} planes (prefixes, admission, journal, push, verification), takes down
 * the link crossed by the most planes and times the topology sync that re-routes and pushes them, then times a
 * restart (every reservation restored from the database).
 */
final class PlanesBench {
    private final int size = Integer.getInteger("bench.paths.routers", 2000);
    private final int cities = Integer.getInteger("bench.paths.cities", 11);
    private final int count = Integer.getInteger("bench.planes.count", 1000);
    private final int sitesPerPlane = Integer.getInteger("bench.planes.sites", 4);
    private final long seed = Long.getLong("bench.seed", 42);

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    void run() {
        Backbone b = new Backbone(size, cities, seed);
        List<Attachment> attachments = new ArrayList<>();
        List<String> edges = new ArrayList<>(b.townships);
        edges.addAll(b.counties);
        for (String r : edges) {
            for (int p = 1; p <= 4; p++) {
                attachments.add(new Attachment(r, "p" + p));
            }
        }
        InMemoryNetworkController controller = new InMemoryNetworkController("bench", b.topology, attachments);
        String url = "jdbc:h2:mem:bench-planes-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (Database db = Database.open(url, "sa", "", 4)) {
            new Departments(db.dataSource()).create(new Department("health", "省卫生健康委", null), Caller.SYSTEM);
            // /20 blocks of a /8 (4096 planes), /28 sites; IPv6 /48 blocks of a /32, /56 sites
            PlaneManager.Settings settings = new PlaneManager.Settings(Pools.of("fd10::/32", 48, 56, "10.0.0.0/8", 20, 28), 1000, 65535);
            PathEngine engine = new PathEngine();
            PlaneManager manager = new PlaneManager(db.dataSource(), engine, controller, new Departments(db.dataSource()), settings);
            manager.start();

            Random rnd = new Random(seed);
            int refused = 0;
            Map<String, Integer> reasons = new HashMap<>();
            long t0 = System.nanoTime();
            for (int p = 0; p < count; p++) {
                Set<Attachment> chosen = new HashSet<>();
                while (chosen.size() < sitesPerPlane) {
                    chosen.add(attachments.get(rnd.nextInt(attachments.size())));
                }
                List<PlaneSite> sites = new ArrayList<>();
                int i = 0;
                for (Attachment a : chosen) {
                    sites.add(new PlaneSite("s" + i++, a));
                }
                PlaneIntent intent = new PlaneIntent("plane-" + p, List.of("health"), sites, Connectivity.ANY_TO_ANY, null,
                        Isolation.HARD, new Slo(2 + rnd.nextInt(9), 20, 0.1),
                        p % 2 == 0 ? Protection.ONE_PLUS_ONE_SRLG_DISJOINT : Protection.NONE,
                        p % 3 == 0 ? AddressFamily.IPV6_ONLY : AddressFamily.DUAL_STACK);
                try {
                    manager.apply(intent, Caller.SYSTEM);
                } catch (TianshuException e) {
                    refused++;
                    reasons.merge(e.field(), 1, Integer::sum);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int pairs = engine.reservations().size();
            figure("planes: %d planes of %d sites (%d site-pair reservations, half 1+1) applied in %.1f s: %.0f planes/s end to end"
                    + " (validate, prefixes, admission, journal in H2, push, read-back); %d refused %s (load %s)",
                    count - refused, sitesPerPlane, pairs, seconds, (count - refused) / seconds, refused, reasons, load());

            // the link crossed by the most planes goes down
            Map<String, Set<String>> planesOn = new HashMap<>();
            for (PathAnswer a : engine.reservations()) {
                String plane = a.id().substring(0, a.id().indexOf('/'));
                List<String> links = new ArrayList<>(a.primary().links());
                if (a.backup() != null) {
                    links.addAll(a.backup().links());
                }
                for (String l : links) {
                    planesOn.computeIfAbsent(l, x -> new HashSet<>()).add(plane);
                }
            }
            String link = planesOn.entrySet().stream().max(Map.Entry.comparingByValue((x, y) -> Integer.compare(x.size(), y.size())))
                    .orElseThrow().getKey();
            int applies = controller.applies();
            Topology t = b.topology;
            controller.topology(new Topology(t.routers(), t.links().stream().map(l -> l.id().equals(link) ? l.withUp(false) : l).toList()));
            long s = System.nanoTime();
            manager.syncTopology(Caller.SYSTEM);
            double ms = (System.nanoTime() - s) / 1e6;
            long degraded = manager.list(Caller.SYSTEM).stream().filter(p -> p.state().name().equals("DEGRADED")).count();
            figure("planes: link %s down, crossed by %d planes: re-routed, realised and %d planes pushed in %.0f ms (sync of the"
                    + " topology, engine re-route, realisation and drift check of every plane, pushes, journal); %d degraded (load %s)",
                    link, planesOn.get(link).size(), controller.applies() - applies, ms, degraded, load());

            // restart: a new engine, every reservation restored from the database in admission order
            s = System.nanoTime();
            PathEngine fresh = new PathEngine();
            new PlaneManager(db.dataSource(), fresh, controller, new Departments(db.dataSource()), settings).start();
            ms = (System.nanoTime() - s) / 1e6;
            figure("planes: restart restored %d reservations of %d planes in %.0f ms; same reservations: %s (load %s)",
                    fresh.reservations().size(), count - refused, ms, fresh.reservations().equals(engine.reservations()), load());
        }
    }
}
