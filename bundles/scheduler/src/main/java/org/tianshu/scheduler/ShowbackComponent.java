package org.tianshu.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.scheduling.ShowbackReport;
import org.tianshu.api.scheduling.ShowbackService;

/** Meters usage every {@code usageSampleSeconds} and answers showback reports (PID {@code org.tianshu.scheduler}). */
@Component(service = ShowbackService.class, configurationPid = "org.tianshu.scheduler", immediate = true)
public class ShowbackComponent implements ShowbackService {
    private static final Logger LOG = LoggerFactory.getLogger(ShowbackComponent.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tianshu-showback"));
    private final Showback showback;

    @Activate
    public ShowbackComponent(@Reference(target = "(tianshu.database=main)") DataSource dataSource,
            @Reference InventoryService inventory, SchedulerComponent.Config config) {
        if (config.usageSampleSeconds() < 0 || config.rateVcpuHour() < 0 || config.rateMemoryGibHour() < 0
                || config.rateGpuHour() < 0 || config.rateStorageGibHour() < 0 || config.currency().isBlank()) {
            throw new IllegalArgumentException("org.tianshu.scheduler: usageSampleSeconds and the rates must be 0 or more,"
                    + " and currency must be set");
        }
        int seconds = config.usageSampleSeconds();
        showback = new Showback(dataSource, inventory, Clock.systemUTC(), Duration.ofSeconds(Math.max(1, seconds)),
                config.currency(), new ShowbackReport.Rates(config.rateVcpuHour(), config.rateMemoryGibHour(),
                        config.rateGpuHour(), config.rateStorageGibHour()));
        if (seconds > 0) {
            timer.scheduleWithFixedDelay(this::sample, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    private void sample() {
        try {
            showback.sample();
        } catch (RuntimeException e) {
            LOG.warn("showback sample failed; the next one covers the gap up to twice the period", e);
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    @Override
    public ShowbackReport report(Instant from, Instant to, String departmentId, Caller caller) {
        return showback.report(from, to, departmentId, caller);
    }
}
