package org.tianshu.dr;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.tianshu.api.TianshuException;

/**
 * Limits how many DR calls (a bring-up and its wait included) are in flight against each cloud, so a
 * large plan never floods a cloud's API; times them on the caller's {@link BusyClock}.
 */
final class CloudGate {
    private final int defaultPermits;
    private final Map<String, Integer> overrides;
    private final Map<String, Semaphore> gates = new ConcurrentHashMap<>();

    CloudGate(int defaultPermits, Map<String, Integer> overrides) {
        this.defaultPermits = defaultPermits;
        this.overrides = Map.copyOf(overrides);
    }

    /** Parses {@code cloud=n} entries; INVALID naming {@code key} otherwise. */
    static Map<String, Integer> parse(String key, String[] entries) {
        Map<String, Integer> m = new java.util.HashMap<>();
        for (String e : entries == null ? new String[0] : entries) {
            if (e == null || e.isBlank()) {
                continue;
            }
            String[] p = e.split("=", 2);
            try {
                int n = Integer.parseInt(p[1].trim());
                if (n < 1 || p[0].isBlank()) {
                    throw new NumberFormatException();
                }
                m.put(p[0].trim(), n);
            } catch (RuntimeException x) {
                throw TianshuException.invalid(key, key + " entries must be cloud=n with n >= 1, got '" + e + "'");
            }
        }
        return m;
    }

    /** Calls allowed at once against {@code cloudId}. */
    int permits(String cloudId) {
        return overrides.getOrDefault(cloudId, defaultPermits);
    }

    /** Runs {@code work} against {@code cloudId} once a permit is free, timing it on {@code clock} (may be null). */
    <T> T call(String cloudId, BusyClock clock, Supplier<T> work) {
        Semaphore gate = gates.computeIfAbsent(cloudId, id -> new Semaphore(permits(id), true));
        gate.acquireUninterruptibly();
        if (clock != null) {
            clock.enter();
        }
        try {
            return work.get();
        } finally {
            if (clock != null) {
                clock.exit();
            }
            gate.release();
        }
    }

    /** Runs {@code work} against {@code cloudId}, see {@link #call}. */
    void run(String cloudId, BusyClock clock, Runnable work) {
        call(cloudId, clock, () -> {
            work.run();
            return null;
        });
    }
}
