package org.tianshu.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.scheduling.ShowbackReport;
import org.tianshu.api.scheduling.ShowbackService;
import org.tianshu.persistence.Jdbc;

/**
 * Showback metering: each {@link #sample()} writes what every department holds in every cloud (the workloads the
 * inventory reports, except those gone or in error), standing for the time since the previous sample (at most
 * twice the sampling period, so a stopped runtime is not billed for its downtime). A report sums the samples of
 * a period and prices them.
 */
public final class Showback implements ShowbackService {
    private final Jdbc jdbc;
    private final InventoryService inventory;
    private final Clock clock;
    private final Duration period;
    private final String currency;
    private final ShowbackReport.Rates rates;

    public Showback(DataSource dataSource, InventoryService inventory, Clock clock, Duration period, String currency,
            ShowbackReport.Rates rates) {
        this.jdbc = new Jdbc(dataSource);
        this.inventory = inventory;
        this.clock = clock;
        this.period = period;
        this.currency = currency;
        this.rates = rates;
    }

    /** Samples the inventory now; returns the number of department/cloud rows written. */
    public int sample() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Resources> held = new TreeMap<>();
        for (Workload w : inventory.workloads(null, null)) {
            if (w.departmentId() != null && w.state() != WorkloadState.GONE && w.state() != WorkloadState.ERROR) {
                held.merge(w.departmentId() + "\n" + w.cloudId(), w.resources(), Resources::plus);
            }
        }
        return jdbc.tx(c -> {
            Instant last = jdbc.one("SELECT sampled_at FROM usage_sample ORDER BY sampled_at DESC LIMIT 1",
                    rs -> Jdbc.instant(rs, "sampled_at")).orElse(null);
            long seconds = last == null ? period.toSeconds()
                    : Math.max(0, Math.min(Duration.between(last, now).toSeconds(), 2 * period.toSeconds()));
            for (Map.Entry<String, Resources> e : held.entrySet()) {
                String[] key = e.getKey().split("\n", 2);
                Resources r = e.getValue();
                jdbc.update("INSERT INTO usage_sample(department_id, cloud_id, sampled_at, seconds, cpu, memory, disk, gpus)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", key[0], key[1], now, seconds, r.cpuMillis(), r.memoryMiB(), r.diskGiB(),
                        r.gpus());
            }
            return held.size();
        });
    }

    @Override
    public ShowbackReport report(Instant from, Instant to, String departmentId, Caller caller) {
        if (from == null || to == null) {
            throw TianshuException.invalid(from == null ? "from" : "to", "from and to are required");
        }
        if (!to.isAfter(from)) {
            throw TianshuException.invalid("to", "to (" + to + ") must be after from (" + from + ")");
        }
        if (departmentId != null) {
            caller.checkAccess(departmentId);
        }
        List<ShowbackReport.Line> lines = new ArrayList<>();
        jdbc.query("SELECT department_id, cloud_id, SUM(cpu * seconds) AS cpu, SUM(memory * seconds) AS memory,"
                + " SUM(gpus * seconds) AS gpus, SUM(disk * seconds) AS disk FROM usage_sample"
                + " WHERE sampled_at >= ? AND sampled_at < ?" + (departmentId == null ? "" : " AND department_id = ?")
                + " GROUP BY department_id, cloud_id ORDER BY department_id, cloud_id", rs -> {
                    String dept = rs.getString("department_id");
                    if (caller.canAccess(dept)) {
                        double vcpu = rs.getDouble("cpu") / 1000 / 3600;
                        double memory = rs.getDouble("memory") / 1024 / 3600;
                        double gpus = rs.getDouble("gpus") / 3600;
                        double disk = rs.getDouble("disk") / 3600;
                        double cost = vcpu * rates.vcpuHour() + memory * rates.memoryGibHour() + gpus * rates.gpuHour()
                                + disk * rates.storageGibHour();
                        lines.add(new ShowbackReport.Line(dept, rs.getString("cloud_id"), vcpu, memory, gpus, disk,
                                Math.round(cost * 100) / 100.0));
                    }
                    return null;
                }, departmentId == null ? new Object[] {from, to} : new Object[] {from, to, departmentId});
        return new ShowbackReport(from, to, currency, rates, lines);
    }
}
