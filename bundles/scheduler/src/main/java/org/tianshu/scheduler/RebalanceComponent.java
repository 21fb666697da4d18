package org.tianshu.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.tianshu.api.Caller;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.scheduling.RebalancePlan;
import org.tianshu.api.scheduling.RebalanceService;
import org.tianshu.api.scheduling.SchedulerService;

/** Runs {@link RebalanceEngine} in the runtime (configured with the scheduler, PID {@code org.tianshu.scheduler}); resumes plans at start. */
@Component(service = RebalanceService.class, configurationPid = "org.tianshu.scheduler", immediate = true)
public class RebalanceComponent implements RebalanceService {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tianshu-rebalance"));
    private final RebalanceEngine engine;

    @Activate
    public RebalanceComponent(@Reference(target = "(tianshu.database=main)") DataSource dataSource,
            @Reference CloudService clouds, @Reference InventoryService inventory, @Reference SchedulerService scheduler,
            SchedulerComponent.Config config) {
        if (config.maxMoves() < 1 || config.movePollMillis() < 10 || config.moveTimeoutSeconds() < 1) {
            throw new IllegalArgumentException("org.tianshu.scheduler: maxMoves >= 1, movePollMillis >= 10 and"
                    + " moveTimeoutSeconds >= 1 are required");
        }
        engine = new RebalanceEngine(dataSource, clouds, inventory, scheduler, executor, new RebalanceEngine.Settings(
                EfficiencyComponent.settings(config).overload(), config.maxMoves(), Duration.ofMillis(config.movePollMillis()),
                Duration.ofSeconds(config.moveTimeoutSeconds())));
        engine.recover();
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Override
    public RebalancePlan propose(String cloudId, Caller caller) {
        return engine.propose(cloudId, caller);
    }

    @Override
    public RebalancePlan approve(String id, Caller caller) {
        return engine.approve(id, caller);
    }

    @Override
    public RebalancePlan execute(String id, Caller caller) {
        return engine.execute(id, caller);
    }

    @Override
    public RebalancePlan get(String id, Caller caller) {
        return engine.get(id, caller);
    }

    @Override
    public List<RebalancePlan> list(Caller caller) {
        return engine.list(caller);
    }
}
