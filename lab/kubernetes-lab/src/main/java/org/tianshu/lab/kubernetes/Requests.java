package org.tianshu.lab.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Resource requests of a pod in base units (CPU in millicores, memory and storage in bytes, GPUs).
 *
 * @param cpuMillis CPU
 * @param memoryBytes memory
 * @param storageBytes ephemeral storage
 * @param gpus {@code nvidia.com/gpu}
 * @param pods pod slots
 */
public record Requests(long cpuMillis, long memoryBytes, long storageBytes, long gpus, long pods) {
    /** Nothing. */
    public static final Requests ZERO = new Requests(0, 0, 0, 0, 0);
    /** The GPU resource name. */
    public static final String GPU = "nvidia.com/gpu";

    /** Component-wise sum. */
    public Requests plus(Requests o) {
        return new Requests(cpuMillis + o.cpuMillis, memoryBytes + o.memoryBytes, storageBytes + o.storageBytes,
                gpus + o.gpus, pods + o.pods);
    }

    /** Component-wise difference. */
    public Requests minus(Requests o) {
        return new Requests(cpuMillis - o.cpuMillis, memoryBytes - o.memoryBytes, storageBytes - o.storageBytes,
                gpus - o.gpus, pods - o.pods);
    }

    /** True if every component of {@code o} is at most this one's. */
    public boolean covers(Requests o) {
        return cpuMillis >= o.cpuMillis && memoryBytes >= o.memoryBytes && storageBytes >= o.storageBytes
                && gpus >= o.gpus && pods >= o.pods;
    }

    /** Reads a resource list ({@code status.allocatable}, {@code resources.requests}). */
    public static Requests of(Map<String, Quantity> list, long pods) {
        if (list == null) {
            return new Requests(0, 0, 0, 0, pods);
        }
        return new Requests(amount(list.get("cpu"), 1000), amount(list.get("memory"), 1),
                amount(list.get("ephemeral-storage"), 1), amount(list.get(GPU), 1),
                list.containsKey("pods") ? amount(list.get("pods"), 1) : pods);
    }

    /** Requests of one pod of {@code spec}: the sum over its containers, one pod slot. */
    public static Requests of(PodSpec spec) {
        Requests sum = new Requests(0, 0, 0, 0, 1);
        if (spec != null && spec.getContainers() != null) {
            for (Container c : spec.getContainers()) {
                if (c.getResources() != null) {
                    sum = sum.plus(of(c.getResources().getRequests(), 0));
                }
            }
        }
        return sum;
    }

    private static long amount(Quantity q, long factor) {
        if (q == null) {
            return 0;
        }
        return Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(factor)).setScale(0, java.math.RoundingMode.CEILING)
                .longValueExact();
    }
}
