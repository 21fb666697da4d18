package org.tianshu.api.scheduling;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What departments used over a period, metered from samples of the inventory, and what it costs at the
 * configured rates ("market-style" showback: shown, not billed).
 *
 * @param from start of the period, inclusive
 * @param to end of the period, exclusive
 * @param currency the rates' currency, e.g. CNY
 * @param rates price per vCPU-hour, GiB-hour of memory, GPU-hour and GiB-hour of storage
 * @param lines one line per department and cloud with usage in the period, ordered by department then cloud
 */
public record ShowbackReport(Instant from, Instant to, String currency, Rates rates, List<Line> lines) {
    public ShowbackReport {
        lines = List.copyOf(lines);
    }

    /**
     * Prices per unit-hour.
     *
     * @param vcpuHour one vCPU (1000 millicores) for an hour
     * @param memoryGibHour one GiB of memory for an hour
     * @param gpuHour one GPU for an hour
     * @param storageGibHour one GiB of disk for an hour
     */
    public record Rates(double vcpuHour, double memoryGibHour, double gpuHour, double storageGibHour) {
    }

    /**
     * Usage of one department in one cloud.
     *
     * @param departmentId the department
     * @param cloudId the cloud
     * @param vcpuHours vCPU-hours
     * @param memoryGibHours GiB-hours of memory
     * @param gpuHours GPU-hours
     * @param storageGibHours GiB-hours of disk
     * @param cost priced at {@link ShowbackReport#rates()}
     */
    public record Line(String departmentId, String cloudId, double vcpuHours, double memoryGibHours, double gpuHours,
            double storageGibHours, double cost) {
    }

    /** The report as CSV (RFC 4180, a header line, numbers with a dot and up to 4 decimals). */
    public String toCsv() {
        StringBuilder b = new StringBuilder("department,cloud,vcpu_hours,memory_gib_hours,gpu_hours,storage_gib_hours,cost,currency\r\n");
        for (Line l : lines) {
            b.append(csv(l.departmentId())).append(',').append(csv(l.cloudId())).append(',').append(num(l.vcpuHours())).append(',')
                    .append(num(l.memoryGibHours())).append(',').append(num(l.gpuHours())).append(',')
                    .append(num(l.storageGibHours())).append(',').append(num(l.cost())).append(',').append(csv(currency))
                    .append("\r\n");
        }
        return b.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String csv(String v) {
        if (v == null) {
            return "";
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
