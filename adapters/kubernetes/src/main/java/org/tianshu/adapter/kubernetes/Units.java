package org.tianshu.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.tianshu.api.Resources;

/**
 * Kubernetes quantities to Tianshu units. Sums are kept in base units ({@link Raw}: millicores, bytes, bytes,
 * GPUs) and converted once, so that many small requests do not accumulate rounding.
 */
final class Units {
    static final String GPU = "nvidia.com/gpu";
    private static final long MIB = 1024L * 1024;
    private static final long GIB = MIB * 1024;

    private Units() {
    }

    /** An amount in base units. */
    record Raw(long cpuMillis, long memoryBytes, long storageBytes, long gpus) {
        static final Raw ZERO = new Raw(0, 0, 0, 0);

        Raw plus(Raw o) {
            return new Raw(cpuMillis + o.cpuMillis, memoryBytes + o.memoryBytes, storageBytes + o.storageBytes,
                    gpus + o.gpus);
        }

        Raw max(Raw o) {
            return new Raw(Math.max(cpuMillis, o.cpuMillis), Math.max(memoryBytes, o.memoryBytes),
                    Math.max(storageBytes, o.storageBytes), Math.max(gpus, o.gpus));
        }

        /** Rounded up: what this claims. */
        Resources claimed() {
            return new Resources(cpuMillis, ceilDiv(memoryBytes, MIB), ceilDiv(storageBytes, GIB), gpus);
        }

        /** Rounded down: what this offers. */
        Resources offered() {
            return new Resources(cpuMillis, memoryBytes / MIB, storageBytes / GIB, gpus);
        }
    }

    /** A resource list (allocatable, requests) in base units. */
    static Raw of(Map<String, Quantity> list) {
        if (list == null || list.isEmpty()) {
            return Raw.ZERO;
        }
        return new Raw(amount(list.get("cpu"), 1000), amount(list.get("memory"), 1),
                amount(list.get("ephemeral-storage"), 1), amount(list.get(GPU), 1));
    }

    /**
     * What one pod of {@code spec} requests: the sum over its containers, or the largest init container where
     * that is more (the scheduler's rule).
     */
    static Raw requests(PodSpec spec) {
        if (spec == null) {
            return Raw.ZERO;
        }
        Raw sum = sum(spec.getContainers());
        if (spec.getInitContainers() != null) {
            for (Container c : spec.getInitContainers()) {
                sum = sum.max(c.getResources() == null ? Raw.ZERO : of(c.getResources().getRequests()));
            }
        }
        return sum;
    }

    private static Raw sum(List<Container> containers) {
        Raw sum = Raw.ZERO;
        if (containers != null) {
            for (Container c : containers) {
                if (c.getResources() != null) {
                    sum = sum.plus(of(c.getResources().getRequests()));
                }
            }
        }
        return sum;
    }

    static long amount(Quantity q, long factor) {
        if (q == null || q.getAmount() == null) {
            return 0;
        }
        try {
            return Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(factor)).setScale(0, RoundingMode.CEILING)
                    .longValue();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return 0;
        }
    }

    static Quantity cpu(long millis) {
        return new Quantity(millis + "m");
    }

    static Quantity mebibytes(long mib) {
        return new Quantity(mib + "Mi");
    }

    static Quantity gibibytes(long gib) {
        return new Quantity(gib + "Gi");
    }

    static Quantity count(long n) {
        return new Quantity(String.valueOf(n));
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}
