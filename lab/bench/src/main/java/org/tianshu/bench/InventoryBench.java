package org.tianshu.bench;

import static org.tianshu.bench.Bench.figure;
import static org.tianshu.bench.Bench.note;
import static org.tianshu.bench.Bench.seconds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.tianshu.adapter.kubernetes.KubernetesDriver;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.CapacitySummary;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSnapshot;
import org.tianshu.api.cloud.CloudStatus;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.inventory.InventoryComponent;
import org.tianshu.lab.kubernetes.LabClusters;
import org.tianshu.lab.kubernetes.LabSpec;
import org.tianshu.persistence.Database;

/**
 * Inventory sync at scale through the real code path: lab Kubernetes clusters in this JVM, the Kubernetes
 * adapter's driver, {@link InventoryComponent} over {@link Database} (embedded H2 file, then PostgreSQL).
 * System properties: {@code bench.clusters} (10), {@code bench.nodes} (10000 in total), {@code bench.workloads}
 * (100000 in total), {@code bench.databases} ({@code h2,postgresql}), {@code bench.pg.url}
 * ({@code jdbc:postgresql://127.0.0.1:5432/tianshu_test}), {@code bench.pg.schema} ({@code bench}; dropped and
 * recreated, and used as the connection's current schema), {@code bench.rounds} (timed rounds, 3).
 */
final class InventoryBench {
    private final int clusters = Integer.getInteger("bench.clusters", 10);
    private final int totalNodes = Integer.getInteger("bench.nodes", 10_000);
    private final int totalWorkloads = Integer.getInteger("bench.workloads", 100_000);
    private final List<String> databases = List.of(System.getProperty("bench.databases", "h2,postgresql").split(","));
    private final String pgUrl = System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/tianshu_test");
    private final String pgSchema = System.getProperty("bench.pg.schema", "bench");
    private final int rounds = Integer.getInteger("bench.rounds", 3);

    void run() throws Exception {
        String[] names = IntStream.rangeClosed(1, clusters).mapToObj(i -> String.format("city%02d", i)).toArray(String[]::new);
        LabSpec spec = LabSpec.defaults().withRandomPorts().withClusters(names).withTotals(totalNodes, totalWorkloads);
        int nodes = spec.nodesPerCluster() * clusters;
        int workloads = spec.workloadsPerCluster() * clusters;
        figure("inventory: heap max %d MiB, %d cores, load %s", Heap.maxMiB(), Runtime.getRuntime().availableProcessors(),
                Bench.load());
        long heapBefore = Heap.usedAfterGcMiB();
        note("starting %d lab clusters with %d nodes and %d workloads (%d pods) in all", clusters, nodes, workloads,
                workloads * spec.workloadReplicas());
        long t0 = System.nanoTime();
        try (LabClusters lab = LabClusters.start(spec)) {
            double labStart = seconds(System.nanoTime() - t0);
            long labHeap = Heap.usedAfterGcMiB() - heapBefore;
            figure("inventory: lab seeded %d clusters x %d nodes x %d workloads (%d replica each) = %d nodes, %d workloads"
                    + " in %.1f s; lab heap (in this JVM) %d MiB after GC", clusters, spec.nodesPerCluster(),
                    spec.workloadsPerCluster(), spec.workloadReplicas(), nodes, workloads, labStart, labHeap);
            for (String db : databases) {
                run(db.trim(), lab, nodes, workloads);
            }
        }
    }

    private void run(String db, LabClusters lab, int nodes, int workloads) throws Exception {
        String tag = "inventory[" + db + "]";
        Path dir = null;
        String url;
        String user;
        String password;
        if (db.equals("h2")) {
            dir = Files.createTempDirectory("tianshu-bench-h2");
            url = "jdbc:h2:" + dir.resolve("tianshu") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000";
            user = "sa";
            password = "";
        } else if (db.equals("postgresql")) {
            user = System.getProperty("bench.pg.user", "tianshu");
            password = System.getProperty("bench.pg.password", "tianshu");
            try (Connection c = DriverManager.getConnection(pgUrl, user, password); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
                s.execute("CREATE SCHEMA " + pgSchema);
            }
            url = pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + pgSchema;
        } else {
            throw new IllegalArgumentException("bench.databases: h2 or postgresql, got '" + db + "'");
        }
        long baseHeap = Heap.usedAfterGcMiB();
        try (Database database = Database.open(url, user, password, 10)) {
            InventoryComponent inventory = new InventoryComponent(database.dataSource(), 0, 2);
            try {
                inventory.addDriver(new KubernetesDriver());
                inventory.putCredentials(new Credentials("lab", Map.of()), Caller.SYSTEM);
                List<String> ids = new ArrayList<>();
                note("%s: registering %d clouds on %s", tag, lab.clusters().size(), url);
                Heap.resetPeak();
                long t = System.nanoTime();
                for (var c : lab.clusters()) {
                    String id = c.name() + "-k8s";
                    inventory.register(new Cloud(id, c.name(), CloudKind.KUBERNETES, c.name(), c.name(), 3, false,
                            c.url(), "lab", Map.of()), Caller.SYSTEM);
                    ids.add(id);
                }
                report(tag, "register (opens the session and syncs once)", System.nanoTime() - t, nodes, workloads);
                long heapBefore = Heap.usedAfterGcMiB();

                List<Double> seqRounds = new ArrayList<>();
                List<Double> parRounds = new ArrayList<>();
                List<Double> discRounds = new ArrayList<>();
                long peakSequential = 0;
                long peakParallel = 0;
                long liveSequential = 0;
                long liveParallel = 0;
                ExecutorService pool = Executors.newFixedThreadPool(2);
                for (int round = 1; round <= rounds; round++) {
                    note("%s: round %d: sync sequential", tag, round);
                    Heap.resetPeak();
                    t = System.nanoTime();
                    for (String id : ids) {
                        check(inventory.sync(id));
                    }
                    long sequential = System.nanoTime() - t;
                    peakSequential = Math.max(peakSequential, Heap.peakMiB());
                    liveSequential = Math.max(liveSequential, Heap.peakAfterGcMiB());
                    report(tag, "round " + round + ": sync sequential", sequential, nodes, workloads);
                    seqRounds.add(seconds(sequential));

                    note("%s: round %d: sync parallel", tag, round);
                    Heap.resetPeak();
                    t = System.nanoTime();
                    List<Future<CloudStatus>> futures = new ArrayList<>();
                    for (String id : ids) {
                        futures.add(pool.submit(() -> inventory.sync(id)));
                    }
                    for (Future<CloudStatus> f : futures) {
                        check(f.get());
                    }
                    long parallel = System.nanoTime() - t;
                    peakParallel = Math.max(peakParallel, Heap.peakMiB());
                    liveParallel = Math.max(liveParallel, Heap.peakAfterGcMiB());
                    report(tag, "round " + round + ": sync parallel (2 threads)", parallel, nodes, workloads);
                    parRounds.add(seconds(parallel));

                    note("%s: round %d: discovery only", tag, round);
                    t = System.nanoTime();
                    int seen = 0;
                    for (String id : ids) {
                        CloudSnapshot s = inventory.session(id).discover();
                        seen += s.workloads().size();
                    }
                    long discovery = System.nanoTime() - t;
                    figure("%s: round %d: discovery only (session(id).discover(), sequential) of all clouds %.1f s"
                            + " (load %s)", tag, round, seconds(discovery), Bench.load());
                    discRounds.add(seconds(discovery));
                    if (seen != workloads) {
                        throw new IllegalStateException(tag + ": discovery saw " + seen + " workloads, seeded " + workloads);
                    }
                }
                pool.shutdown();
                double seq = Bench.median(seqRounds);
                double par = Bench.median(parRounds);
                double disc = Bench.median(discRounds);
                figure("%s: sync sequential of %d nodes and %d workloads %.1f s, %.0f nodes/s, %.0f workloads/s"
                        + " (median of %d; best %.1f s)", tag, nodes, workloads, seq, nodes / seq, workloads / seq, rounds,
                        java.util.Collections.min(seqRounds));
                figure("%s: sync parallel (2 threads) of %d nodes and %d workloads %.1f s, %.0f nodes/s, %.0f workloads/s"
                        + " (median of %d; best %.1f s)", tag, nodes, workloads, par, nodes / par, workloads / par, rounds,
                        java.util.Collections.min(parRounds));
                figure("%s: split of the sequential sync: discovery %.1f s (%.0f %%), store %.1f s (%.0f %%)"
                        + " [medians; store = sync - discovery timed alone]", tag, disc, 100 * disc / seq, seq - disc,
                        100 * (seq - disc) / seq);
                long heapAfter = Heap.usedAfterGcMiB();
                figure("%s: heap used after GC %d MiB before the database, %d MiB before the timed syncs, %d MiB after;"
                        + " during syncs: peak before GC %d MiB (sequential), %d MiB (parallel); largest after GC %d MiB"
                        + " (sequential), %d MiB (parallel)", tag, baseHeap, heapBefore, heapAfter, peakSequential,
                        peakParallel, liveSequential, liveParallel);

                List<CapacitySummary> cap = inventory.capacity();
                long hosts = cap.stream().mapToLong(CapacitySummary::hosts).sum();
                long counted = cap.stream().mapToLong(CapacitySummary::workloads).sum();
                long cpu = cap.stream().mapToLong(c -> c.capacity().cpuMillis()).sum();
                long used = cap.stream().mapToLong(c -> c.allocated().cpuMillis()).sum();
                t = System.nanoTime();
                int listed = inventory.workloads(null, null).size();
                long listing = System.nanoTime() - t;
                boolean ok = hosts == nodes && counted == workloads && listed == workloads;
                figure("%s: check %s: capacity() hosts %d (seeded %d), workloads %d (seeded %d), cpu %d of %d millicores"
                        + " allocated; workloads(null,null).size() %d in %.1f s", tag, ok ? "OK" : "FAILED", hosts, nodes,
                        counted, workloads, used, cpu, listed, seconds(listing));
                if (db.equals("postgresql")) {
                    pgTableStats(tag, url, user, password);
                }
                if (!ok) {
                    throw new IllegalStateException(tag + ": inventory does not match what was seeded");
                }
            } finally {
                inventory.deactivate();
            }
        } finally {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** Size and dead rows of the inventory tables: each sync deletes and re-inserts every row. */
    private void pgTableStats(String tag, String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            Thread.sleep(1000); // table statistics reach pg_stat_user_tables with a delay
            try (var rs = s.executeQuery("SELECT relname, n_live_tup, n_dead_tup, n_tup_ins, n_tup_del,"
                    + " pg_total_relation_size(relid) FROM pg_stat_user_tables WHERE schemaname = '" + pgSchema
                    + "' AND relname IN ('host', 'workload') ORDER BY relname")) {
                while (rs.next()) {
                    figure("%s: table %s after all syncs: %d live rows, %d dead rows, %d inserted and %d deleted in all,"
                            + " %d MiB with indexes", tag, rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6) >> 20);
                }
            }
            s.execute("VACUUM FULL workload");
            try (var rs = s.executeQuery("SELECT pg_total_relation_size('workload')")) {
                rs.next();
                figure("%s: table workload after VACUUM FULL: %d MiB with indexes", tag, rs.getLong(1) >> 20);
            }
        }
    }

    private static void check(CloudStatus s) {
        if (!s.reachable()) {
            throw new IllegalStateException("sync of " + s.cloudId() + " failed: " + s.error());
        }
    }

    private static void report(String tag, String what, long nanos, int nodes, int workloads) {
        double s = seconds(nanos);
        figure("%s: %s of all clouds %.1f s, %.0f nodes/s, %.0f workloads/s (load %s)", tag, what, s, nodes / s,
                workloads / s, Bench.load());
    }
}
