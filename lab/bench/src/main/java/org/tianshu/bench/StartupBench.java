package org.tianshu.bench;

import static org.tianshu.bench.Bench.figure;
import static org.tianshu.bench.Bench.note;
import static org.tianshu.bench.Bench.seconds;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold and warm start of the Tianshu distribution until every {@code org.tianshu} bundle is Active and REST
 * answers, and the RSS of the Karaf JVM then. System properties: {@code bench.dist} (the tar.gz, default
 * {@code karaf-assembly/target/tianshu-karaf-0.1.0-SNAPSHOT.tar.gz} under {@code bench.root}),
 * {@code bench.runs} (cold starts, 3), {@code bench.portOffset} (added to Karaf's ports 8181, 8101, 1099, 44444
 * when another Karaf holds them; 0), {@code bench.timeoutSeconds} (per start, 300).
 */
final class StartupBench {
    private static final String DEPARTMENTS = "/api/v1/departments";

    private final Path dist;
    private final int runs = Integer.getInteger("bench.runs", 3);
    private final int offset = Integer.getInteger("bench.portOffset", 0);
    private final long timeoutNanos = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.timeoutSeconds", 300));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    StartupBench(Path root) {
        dist = Path.of(System.getProperty("bench.dist",
                root.resolve("karaf-assembly/target/tianshu-karaf-0.1.0-SNAPSHOT.tar.gz").toString()));
    }

    private int httpPort() {
        return 8181 + offset;
    }

    private int sshPort() {
        return 8101 + offset;
    }

    /** What one start measured. */
    private record Start(double readySeconds, long rssMiB, int bundles) {
    }

    void run() throws Exception {
        if (!Files.isRegularFile(dist)) {
            throw new IllegalStateException("no distribution at " + dist
                    + "; build it with: mvn -q install -pl karaf-assembly -am -DskipTests");
        }
        for (int port : new int[] {httpPort(), sshPort(), 1099 + offset, 44444 + offset}) {
            if (listening(port)) {
                throw new IllegalStateException("port " + port + " is taken (another Karaf?); run with"
                        + " -Dbench.portOffset=N (BENCH_PORT_OFFSET=N for lab/bench.sh)");
            }
        }
        figure("startup: distribution %s (%d MiB), ports +%d, %d cores, load %s", dist.getFileName(),
                Files.size(dist) >> 20, offset, Runtime.getRuntime().availableProcessors(), Bench.load());
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        List<Long> coldRss = new ArrayList<>();
        List<Long> warmRss = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Path dir = Files.createTempDirectory("tianshu-bench-karaf");
            try {
                Path home = unpack(dir);
                Start c = start(home);
                figure("startup: cold start %d to all Tianshu features ready %.1f s (REST 200, then all %d org.tianshu"
                        + " bundles Active), RSS %d MiB (load %s)", i, c.readySeconds, c.bundles, c.rssMiB, Bench.load());
                cold.add(c.readySeconds);
                coldRss.add(c.rssMiB);
                stop(home);
                Start w = start(home);
                figure("startup: warm restart %d (existing data/) to all Tianshu features ready %.1f s (REST 200, then all"
                        + " %d org.tianshu bundles Active), RSS %d MiB (load %s)", i, w.readySeconds, w.bundles, w.rssMiB,
                        Bench.load());
                warm.add(w.readySeconds);
                warmRss.add(w.rssMiB);
                stop(home);
            } finally {
                delete(dir);
            }
        }
        figure("startup: cold start to all Tianshu features ready %.1f s, RSS %d MiB (median of %d; best %.1f s)",
                Bench.median(cold), (long) Bench.median(coldRss.stream().map(Long::doubleValue).toList()), runs,
                java.util.Collections.min(cold));
        figure("startup: warm restart to all Tianshu features ready %.1f s, RSS %d MiB (median of %d; best %.1f s)",
                Bench.median(warm), (long) Bench.median(warmRss.stream().map(Long::doubleValue).toList()), runs,
                java.util.Collections.min(warm));
    }

    private Path unpack(Path dir) throws Exception {
        exec(dir, List.of("tar", "xzf", dist.toString()), Map.of(), 120);
        Path home;
        try (var s = Files.list(dir)) {
            home = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        if (offset != 0) {
            replace(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = 8181",
                    "org.osgi.service.http.port = " + httpPort());
            replace(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort = 8101", "sshPort = " + sshPort());
            replace(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort = 1099",
                    "rmiRegistryPort = " + (1099 + offset));
            replace(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort = 44444",
                    "rmiServerPort = " + (44444 + offset));
        }
        return home;
    }

    private Start start(Path home) throws Exception {
        Files.deleteIfExists(home.resolve("karaf.pid"));
        long t0 = System.nanoTime();
        exec(home, List.of("bin/start"), Map.of("EXTRA_JAVA_OPTS", "-Xmx512m"), 60);
        String auth = "Basic " + Base64.getEncoder().encodeToString("operator:operator".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + DEPARTMENTS))
                .header("Authorization", auth).timeout(Duration.ofSeconds(5)).GET().build();
        while (true) {
            if (System.nanoTime() - t0 > timeoutNanos) {
                stop(home);
                throw new IllegalStateException("Tianshu not ready within the timeout; see " + home.resolve("data/log"));
            }
            long polled = System.nanoTime();
            int status;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = -1;
            }
            if (status == 200) {
                int[] states = bundles(home);
                if (states[0] > 0 && states[0] == states[1]) {
                    long pid = Long.parseLong(Files.readString(home.resolve("karaf.pid")).trim());
                    return new Start(seconds(polled - t0), rssMiB(pid), states[0]);
                }
                note("REST answers but %d of %d org.tianshu bundles are Active", states[1], states[0]);
            }
            Thread.sleep(200);
        }
    }

    /** {org.tianshu bundles, of which Active}, from bin/client; {0, 0} while the shell is not up. */
    private int[] bundles(Path home) throws Exception {
        Process p = new ProcessBuilder("bin/client", "-u", "admin", "-p", "admin", "-a", String.valueOf(sshPort()), "-b")
                .directory(home.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().write("bundle:list -t 0 -s --no-format\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        int all = 0;
        int active = 0;
        for (String line : out.split("\n")) {
            if (line.contains("org.tianshu") || line.contains("Tianshu ::")) {
                all++;
                if (line.contains("Active")) {
                    active++;
                }
            }
        }
        return new int[] {all, active};
    }

    private void stop(Path home) throws Exception {
        Path pidFile = home.resolve("karaf.pid");
        long pid = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).trim()) : -1;
        exec(home, List.of("bin/stop"), Map.of(), 60);
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(h -> {
                try {
                    h.onExit().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    note("Karaf %d did not stop within 60 s; killing it", pid);
                    h.destroyForcibly();
                }
            });
        }
        long t = System.nanoTime();
        while (listening(httpPort()) && System.nanoTime() - t < TimeUnit.SECONDS.toNanos(30)) {
            Thread.sleep(200);
        }
    }

    private static long rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void exec(Path dir, List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue());
        }
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        if (!s.contains(from)) {
            throw new IllegalStateException(file + " has no line '" + from + "'");
        }
        Files.writeString(file, s.replace(from, to));
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
