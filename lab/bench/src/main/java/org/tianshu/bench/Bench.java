package org.tianshu.bench;

import java.nio.file.Path;
import java.util.List;

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
                case "all" -> {
                    new StartupBench(root).run();
                    new InventoryBench().run();
                }
                default -> {
                    System.err.println("usage: Bench [startup|inventory|all|paths|events|dataplane|planes|failover|chain]... (unknown scenario '" + s + "')");
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

    /** 1-minute load average, to judge how shared the machine was during a run. */
    static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
