package org.tianshu.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmark scenarios named on the command line ({@code startup}, {@code inventory}, {@code all}, {@code paths},
 * {@code dataplane}, {@code failover}) and
 * prints their figures as lines starting with {@code bench }. System properties: {@code bench.root} (repository
 * root, default the working directory), plus those of each scenario.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        List<String> scenarios = args.length == 0 ? List.of("all") : List.of(args);
        for (String s : scenarios) {
            switch (s) {
                case "startup" -> new StartupBench(root).run();
                case "inventory" -> new InventoryBench().run();
                case "paths" -> new PathsBench().run();
                case "events" -> new EventsBench().run();
                case "dataplane" -> new DataplaneBench(root).run();
                case "chain" -> new ChainBench(root).run();
                case "planes" -> new PlanesBench().run();
                case "failover" -> new FailoverBench().run();
                case "reroute" -> new RerouteBench(root).run();
                case "all" -> {
                    new StartupBench(root).run();
                    new InventoryBench().run();
                }
                default -> {
                    System.err.println("usage: Bench [startup|inventory|all|paths|events|dataplane|planes|failover|chain|reroute]... (unknown scenario '" + s + "')");
                    System.exit(2);
                }
            }
        }
        System.exit(0);
    }

    /** Prints one figure line. */
    static void figure(String format, Object... args) {
        System.out.println("bench " + String.format(java.util.Locale.ROOT, format, args));
        System.out.flush();
    }

    /** Prints a progress note (not a figure) to stderr. */
    static void note(String format, Object... args) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] "
                + String.format(java.util.Locale.ROOT, format, args));
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Runs {@code lab/<script> args} with {@code env} added to the environment and notes its output; throws on failure. */
    static void lab(Path root, Map<String, String> env, String script, String... args) throws java.io.IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("lab").resolve(script).toString()));
        command.addAll(List.of(args));
        note("%s", run(env, command).strip());
    }

    /** Runs a command with {@code env} added to the environment and returns its output; throws on a non-zero exit. */
    static String run(Map<String, String> env, List<String> command) throws java.io.IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out.strip());
        }
        return out;
    }

    /** 1-minute load average, to judge how shared the machine was during a run. */
    static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
