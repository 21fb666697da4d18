package org.tianshu.scheduler;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.scheduling.Move;
import org.tianshu.api.scheduling.RebalancePlan;
import org.tianshu.api.scheduling.RebalanceService;
import org.tianshu.api.scheduling.Reservation;
import org.tianshu.api.scheduling.SchedulerService;
import org.tianshu.persistence.Jdbc;

/**
 * Rebalancing plans in the database. A plan is proposed from the inventory by {@link RebalancePlanner}, approved
 * by an operator, then executed one move at a time: each move is journalled MOVING before the cloud is asked,
 * then DONE once the cloud runs the workload on the target, or FAILED (refused, or not there within the timeout);
 * a plan cut short by a stop carries on at the next start ({@link #recover()}). Moves are idempotent in the cloud,
 * so asking again after a crash is safe.
 */
public final class RebalanceEngine implements RebalanceService {
    private static final Logger LOG = LoggerFactory.getLogger(RebalanceEngine.class);

    /** Thresholds and timings. */
    public record Settings(double overloadThreshold, int maxMoves, Duration pollInterval, Duration moveTimeout) {
    }

    private final Jdbc jdbc;
    private final CloudService clouds;
    private final InventoryService inventory;
    private final SchedulerService scheduler;
    private final ScheduledExecutorService executor;
    private final Settings settings;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public RebalanceEngine(DataSource dataSource, CloudService clouds, InventoryService inventory, SchedulerService scheduler,
            ScheduledExecutorService executor, Settings settings) {
        this.jdbc = new Jdbc(dataSource);
        this.clouds = clouds;
        this.inventory = inventory;
        this.scheduler = scheduler;
        this.executor = executor;
        this.settings = settings;
    }

    /** Carries on every plan a stop left executing. */
    public int recover() {
        List<String> open = jdbc.query("SELECT id FROM rebalance_plan WHERE state = 'EXECUTING'", rs -> rs.getString(1));
        open.forEach(id -> schedule(id, Duration.ZERO));
        return open.size();
    }

    @Override
    public RebalancePlan propose(String cloudId, Caller caller) {
        caller.checkOperator();
        List<Cloud> scope = cloudId == null ? clouds.list() : List.of(clouds.get(cloudId));
        Map<String, RebalancePlanner.Groups> groups = new HashMap<>();
        for (Reservation r : scheduler.reservations(null, Caller.SYSTEM)) {
            groups.put(r.id(), new RebalancePlanner.Groups(r.affinityGroup(), r.antiAffinityGroup()));
        }
        // capacity the scheduler holds for workloads not yet in the inventory is taken, as far as moves go
        Map<String, Resources> held = new HashMap<>();
        for (Reservation r : scheduler.reservations(null, Caller.SYSTEM)) {
            if (!r.settled()) {
                r.hosts().forEach((key, res) -> held.merge(key, res, Resources::plus));
            }
        }
        List<Host> hosts = inventory.hosts(cloudId).stream().map(h -> {
            Resources extra = held.get(h.cloudId() + "/" + h.name());
            return extra == null ? h : new Host(h.cloudId(), h.name(), h.zone(), h.capacity(), h.allocated().plus(extra),
                    h.gpuType(), h.up());
        }).toList();
        RebalancePlanner.Result result = new RebalancePlanner(settings.overloadThreshold(), settings.maxMoves())
                .plan(scope, hosts, inventory.workloads(cloudId, null), groups);
        String summary = result.moves().isEmpty() ? "nothing to do: no host is overloaded and none can be freed"
                : result.moves().size() + " move(s) relieve " + result.relieved().size() + " overloaded host(s) and free "
                        + result.freed().size() + " host(s)";
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        jdbc.tx(c -> {
            jdbc.update("INSERT INTO rebalance_plan(id, cloud_id, state, relieved, freed, summary, proposed_by, created_at,"
                    + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, cloudId, RebalancePlan.State.PROPOSED,
                    String.join(",", result.relieved()), String.join(",", result.freed()), summary, caller.name(), now, now);
            for (Move m : result.moves()) {
                jdbc.update("INSERT INTO rebalance_move(plan_id, idx, cloud_id, external_id, request_id, workload, from_host, to_host,"
                        + " cpu, memory, disk, gpus, reason, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, m.index(),
                        m.cloudId(), m.externalId(), m.requestId(), m.workload(), m.fromHost(), m.toHost(), m.resources().cpuMillis(),
                        m.resources().memoryMiB(), m.resources().diskGiB(), m.resources().gpus(), m.reason(), m.state());
            }
            return null;
        });
        return load(id);
    }

    @Override
    public RebalancePlan approve(String id, Caller caller) {
        caller.checkOperator();
        RebalancePlan p = get(id, caller);
        int n = jdbc.update("UPDATE rebalance_plan SET state = ?, approved_by = ?, updated_at = ? WHERE id = ? AND state = ?",
                RebalancePlan.State.APPROVED, caller.name(), Instant.now(), id, RebalancePlan.State.PROPOSED);
        if (n == 0) {
            throw TianshuException.conflict("id", "plan " + id + " is " + p.state().name().toLowerCase() + "; only a proposed plan can be approved");
        }
        return load(id);
    }

    @Override
    public RebalancePlan execute(String id, Caller caller) {
        caller.checkOperator();
        RebalancePlan p = get(id, caller);
        int n = jdbc.update("UPDATE rebalance_plan SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
                RebalancePlan.State.EXECUTING, Instant.now(), id, RebalancePlan.State.APPROVED);
        if (n == 0) {
            throw TianshuException.conflict("id", "plan " + id + " is " + p.state().name().toLowerCase() + "; only an approved plan can be executed");
        }
        RebalancePlan executing = load(id);
        schedule(id, Duration.ZERO);
        return executing;
    }

    @Override
    public RebalancePlan get(String id, Caller caller) {
        caller.checkOperator();
        return find(id).orElseThrow(() -> TianshuException.notFound("id", "rebalancing plan", id));
    }

    @Override
    public List<RebalancePlan> list(Caller caller) {
        caller.checkOperator();
        return jdbc.query("SELECT id FROM rebalance_plan ORDER BY created_at DESC, id", rs -> rs.getString(1)).stream()
                .map(this::load).toList();
    }

    private void schedule(String id, Duration delay) {
        if (running.add(id)) {
            executor.schedule(() -> {
                running.remove(id);
                step(id);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Advances the first unsettled move of plan {@code id}, or settles the plan. */
    void step(String id) {
        RebalancePlan plan = load(id);
        if (plan.state() != RebalancePlan.State.EXECUTING) {
            return;
        }
        Optional<Move> next = plan.moves().stream()
                .filter(m -> m.state() == Move.State.PENDING || m.state() == Move.State.MOVING).findFirst();
        if (next.isEmpty()) {
            boolean failed = plan.moves().stream().anyMatch(m -> m.state() == Move.State.FAILED);
            jdbc.update("UPDATE rebalance_plan SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
                    failed ? RebalancePlan.State.FAILED : RebalancePlan.State.DONE, Instant.now(), id, RebalancePlan.State.EXECUTING);
            return;
        }
        Move m = next.get();
        try {
            CloudSession session = clouds.session(m.cloudId());
            if (m.state() == Move.State.PENDING) {
                Optional<String> now = session.hostOf(m.externalId());
                if (now.isPresent() && !now.get().equals(m.fromHost()) && !now.get().equals(m.toHost())) {
                    settle(id, m, Move.State.FAILED, "the workload moved to " + now.get() + " since the plan was made");
                    schedule(id, Duration.ZERO);
                    return;
                }
                jdbc.update("UPDATE rebalance_move SET state = ?, started_at = ? WHERE plan_id = ? AND idx = ? AND state = ?",
                        Move.State.MOVING, Instant.now(), id, m.index(), Move.State.PENDING);
                session.move(m.externalId(), m.toHost());
                schedule(id, settings.pollInterval());
                return;
            }
            if (session.hostOf(m.externalId()).filter(m.toHost()::equals).isPresent()) {
                if (m.requestId() != null) {
                    scheduler.moved(m.requestId(), m.cloudId(), m.fromHost(), m.toHost());
                }
                settle(id, m, Move.State.DONE, null);
                schedule(id, Duration.ZERO);
            } else if (Instant.now().isAfter(startedAt(id, m.index()).plus(settings.moveTimeout()))) {
                settle(id, m, Move.State.FAILED, "not running on " + m.toHost() + " after " + settings.moveTimeout().toSeconds() + " s");
                schedule(id, Duration.ZERO);
            } else {
                // idempotent: asking again after a restart, or while the cloud is still at it, is safe
                session.move(m.externalId(), m.toHost());
                schedule(id, settings.pollInterval());
            }
        } catch (TianshuException e) {
            LOG.warn("rebalancing {}: move {} of {} failed: {}", id, m.index(), m.workload(), e.getMessage());
            settle(id, m, Move.State.FAILED, e.getMessage());
            schedule(id, Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.error("rebalancing {}: unexpected failure on move {}, retrying", id, m.index(), e);
            schedule(id, settings.pollInterval());
        }
    }

    private void settle(String id, Move m, Move.State state, String error) {
        String shortError = error == null || error.length() <= 2000 ? error : error.substring(0, 2000);
        jdbc.update("UPDATE rebalance_move SET state = ?, error = ? WHERE plan_id = ? AND idx = ?", state, shortError, id, m.index());
    }

    private Instant startedAt(String id, int index) {
        return jdbc.one("SELECT started_at FROM rebalance_move WHERE plan_id = ? AND idx = ?",
                rs -> Jdbc.instant(rs, "started_at"), id, index).orElseThrow();
    }

    private Optional<RebalancePlan> find(String id) {
        return jdbc.one("SELECT id FROM rebalance_plan WHERE id = ?", rs -> rs.getString(1), id).map(this::load);
    }

    private RebalancePlan load(String id) {
        List<Move> moves = jdbc.query("SELECT * FROM rebalance_move WHERE plan_id = ? ORDER BY idx", this::move, id);
        return jdbc.one("SELECT * FROM rebalance_plan WHERE id = ?", rs -> new RebalancePlan(rs.getString("id"),
                rs.getString("cloud_id"), RebalancePlan.State.valueOf(rs.getString("state")), moves, split(rs.getString("relieved")),
                split(rs.getString("freed")), rs.getString("summary"), rs.getString("proposed_by"), rs.getString("approved_by"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at")), id).orElseThrow();
    }

    private Move move(ResultSet rs) throws SQLException {
        return new Move(rs.getInt("idx"), rs.getString("cloud_id"), rs.getString("external_id"), rs.getString("request_id"),
                rs.getString("workload"),
                rs.getString("from_host"), rs.getString("to_host"), new Resources(rs.getLong("cpu"), rs.getLong("memory"),
                        rs.getLong("disk"), rs.getLong("gpus")), rs.getString("reason"), Move.State.valueOf(rs.getString("state")),
                rs.getString("error"));
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(joined.split(",")));
    }
}
