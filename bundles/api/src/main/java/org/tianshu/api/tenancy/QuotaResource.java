package org.tianshu.api.tenancy;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;

/** What a quota limits, with its unit. */
public enum QuotaResource {
    /** CPU in millicores (one vCPU = 1000). */
    CPU("millicores"),
    /** Memory in MiB. */
    MEMORY("MiB"),
    /** Disk in GiB. */
    DISK("GiB"),
    /** GPUs. */
    GPUS("devices"),
    /** VMs plus container workloads. */
    INSTANCES("workloads");

    private final String unit;

    QuotaResource(String unit) {
        this.unit = unit;
    }

    /** The lower-case name used in files, REST and the shell. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The unit of limits and usage. */
    public String unit() {
        return unit;
    }

    /** How much of this resource {@code r} plus {@code instances} workloads take. */
    public long amount(Resources r, long instances) {
        return switch (this) {
            case CPU -> r.cpuMillis();
            case MEMORY -> r.memoryMiB();
            case DISK -> r.diskGiB();
            case GPUS -> r.gpus();
            case INSTANCES -> instances;
        };
    }

    /** Parses {@link #id()}; INVALID naming {@code field} otherwise. */
    public static QuotaResource parse(String field, String value) {
        for (QuotaResource q : values()) {
            if (q.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return q;
            }
        }
        throw TianshuException.invalid(field, field + " must be one of "
                + Arrays.stream(values()).map(QuotaResource::id).collect(Collectors.joining(", ")) + "; got '" + value + "'");
    }
}
