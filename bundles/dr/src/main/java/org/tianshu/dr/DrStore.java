package org.tianshu.dr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.tianshu.api.TianshuException;
import org.tianshu.api.dr.DrOperation;
import org.tianshu.api.dr.DrRun;
import org.tianshu.api.dr.DrStep;
import org.tianshu.api.dr.GroupState;
import org.tianshu.api.dr.ProtectedWorkload;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.RecoveryPlan;
import org.tianshu.api.dr.RunState;
import org.tianshu.api.dr.StepKind;
import org.tianshu.api.dr.StepState;
import org.tianshu.persistence.Jdbc;

/** The DR tables: groups with their members and copies, plans, runs and their journalled steps. */
final class DrStore {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A group row with the run that holds it. */
    record Group(ProtectionGroup group, String activeRun, boolean rpoExceeded) {
    }

    /** The latest copy of a member. */
    record Copy(String name, String cloudId, String copyId, String network, Instant consistentAt) {
    }

    /** A step as journalled, with what it waits for and works on. */
    static final class Step {
        final int seq;
        final StepKind kind;
        final String workload;
        final int priority;
        final int[] needs;
        final String target;
        volatile StepState state;
        volatile Instant startedAt;
        volatile Instant finishedAt;
        volatile String detail;

        Step(int seq, StepKind kind, String workload, int priority, int[] needs, String target) {
            this(seq, kind, workload, priority, needs, target, StepState.PENDING, null, null, null);
        }

        Step(int seq, StepKind kind, String workload, int priority, int[] needs, String target, StepState state,
                Instant startedAt, Instant finishedAt, String detail) {
            this.seq = seq;
            this.kind = kind;
            this.workload = workload;
            this.priority = priority;
            this.needs = needs;
            this.target = target;
            this.state = state;
            this.startedAt = startedAt;
            this.finishedAt = finishedAt;
            this.detail = detail;
        }

        DrStep view() {
            return new DrStep(seq, kind, workload, priority, state, startedAt, finishedAt, detail);
        }
    }

    final Jdbc jdbc;

    DrStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    // ------------------------------------------------------------ groups

    void insertGroup(ProtectionGroup g, Instant now) {
        jdbc.update("INSERT INTO dr_group(id, name, department_id, protected_cloud, recovery_cloud, home_cloud, rpo_seconds,"
                + " state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", g.id(), g.name(), g.departmentId(),
                g.protectedCloudId(), g.recoveryCloudId(), g.protectedCloudId(), g.rpoTargetSeconds(), GroupState.PROTECTED,
                now);
        jdbc.batch("INSERT INTO dr_member(group_id, name, cloud_id, external_id) VALUES (?, ?, ?, ?)", g.workloads().stream()
                .map(w -> new Object[] {g.id(), w.name(), g.protectedCloudId(), w.externalId()}).toList());
    }

    Optional<Group> group(String id) {
        return jdbc.one("SELECT * FROM dr_group WHERE id = ?", rs -> groupRow(rs, members(rs.getString("id"))), id);
    }

    Group requireGroup(String field, String id) {
        return group(id).orElseThrow(() -> TianshuException.notFound(field, "protection group", id));
    }

    List<Group> groups() {
        return jdbc.query("SELECT id FROM dr_group ORDER BY id", rs -> rs.getString(1)).stream()
                .map(id -> group(id).orElseThrow()).toList();
    }

    private List<ProtectedWorkload> members(String groupId) {
        return jdbc.query("SELECT name, external_id FROM dr_member WHERE group_id = ? ORDER BY name",
                rs -> new ProtectedWorkload(rs.getString(1), rs.getString(2)), groupId);
    }

    private static Group groupRow(ResultSet rs, List<ProtectedWorkload> members) throws SQLException {
        return new Group(new ProtectionGroup(rs.getString("id"), rs.getString("name"), rs.getString("department_id"),
                rs.getString("protected_cloud"), rs.getString("recovery_cloud"), rs.getString("home_cloud"), members,
                rs.getLong("rpo_seconds"), GroupState.valueOf(rs.getString("state"))), rs.getString("active_run"),
                rs.getBoolean("rpo_exceeded"));
    }

    /** The group holding workload {@code externalId} of {@code cloudId}, if any. */
    Optional<String> memberOf(String cloudId, String externalId) {
        return jdbc.one("SELECT group_id FROM dr_member WHERE cloud_id = ? AND external_id = ?", rs -> rs.getString(1),
                cloudId, externalId);
    }

    /** Claims the group for {@code runId}; false if another run holds it. */
    boolean claim(String groupId, String runId) {
        return jdbc.update("UPDATE dr_group SET active_run = ? WHERE id = ? AND active_run IS NULL", runId, groupId) == 1;
    }

    /** Passes the group from run {@code from} to run {@code to}; false if {@code from} does not hold it. */
    boolean handOver(String groupId, String from, String to) {
        return jdbc.update("UPDATE dr_group SET active_run = ? WHERE id = ? AND active_run = ?", to, groupId, from) == 1;
    }

    void release(String groupId, String runId) {
        jdbc.update("UPDATE dr_group SET active_run = NULL WHERE id = ? AND active_run = ?", groupId, runId);
    }

    void setGroupState(String groupId, GroupState state) {
        jdbc.update("UPDATE dr_group SET state = ? WHERE id = ?", state, groupId);
    }

    void setRpoExceeded(String groupId, boolean exceeded) {
        jdbc.update("UPDATE dr_group SET rpo_exceeded = ? WHERE id = ?", exceeded, groupId);
    }

    void setRecovered(String groupId, String name, String recoveredId) {
        jdbc.update("UPDATE dr_member SET recovered_id = ? WHERE group_id = ? AND name = ?", recoveredId, groupId, name);
    }

    /**
     * Reverses the group's direction: the recovered workloads become the protected ones; the old copies go.
     * Does nothing when it was done already (no workload is marked recovered).
     */
    void swapSides(String groupId) {
        jdbc.tx(c -> {
            Group g = requireGroup("groupId", groupId);
            List<String[]> recovered = jdbc.query("SELECT name, recovered_id FROM dr_member WHERE group_id = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, groupId);
            if (recovered.stream().allMatch(r -> r[1] == null)) {
                return null; // swapped already
            }
            List<Object[]> rows = new ArrayList<>();
            for (String[] r : recovered) {
                if (r[1] == null) {
                    throw TianshuException.conflict("groupId", "workload '" + r[0] + "' of group '" + groupId
                            + "' was not recovered; nothing to protect in the other direction");
                }
                rows.add(new Object[] {g.group().recoveryCloudId(), r[1], groupId, r[0]});
            }
            jdbc.batch("UPDATE dr_member SET cloud_id = ?, external_id = ?, recovered_id = NULL WHERE group_id = ? AND name = ?",
                    rows);
            jdbc.update("UPDATE dr_group SET protected_cloud = ?, recovery_cloud = ?, state = ? WHERE id = ?",
                    g.group().recoveryCloudId(), g.group().protectedCloudId(), GroupState.PROTECTED, groupId);
            jdbc.update("DELETE FROM dr_copy WHERE group_id = ?", groupId);
            return null;
        });
    }

    void deleteGroup(String id) {
        jdbc.update("DELETE FROM dr_group WHERE id = ?", id);
    }

    // ------------------------------------------------------------ copies

    void saveCopy(String groupId, Copy copy) {
        jdbc.tx(c -> {
            if (jdbc.update("UPDATE dr_copy SET cloud_id = ?, copy_id = ?, network = ?, consistent_at = ?"
                    + " WHERE group_id = ? AND name = ?", copy.cloudId(), copy.copyId(), copy.network(), copy.consistentAt(),
                    groupId, copy.name()) == 0) {
                jdbc.update("INSERT INTO dr_copy(group_id, name, cloud_id, copy_id, network, consistent_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", groupId, copy.name(), copy.cloudId(), copy.copyId(), copy.network(),
                        copy.consistentAt());
            }
            return null;
        });
    }

    Map<String, Copy> copies(String groupId) {
        Map<String, Copy> m = new LinkedHashMap<>();
        jdbc.query("SELECT * FROM dr_copy WHERE group_id = ? ORDER BY name", rs -> new Copy(rs.getString("name"),
                rs.getString("cloud_id"), rs.getString("copy_id"), rs.getString("network"),
                Jdbc.instant(rs, "consistent_at")), groupId).forEach(c -> m.put(c.name(), c));
        return m;
    }

    // ------------------------------------------------------------ plans

    void insertPlan(RecoveryPlan plan, Instant now) {
        jdbc.update("INSERT INTO dr_plan(id, group_id, plan_json, created_at) VALUES (?, ?, ?, ?)", plan.id(), plan.groupId(),
                write(plan), now);
    }

    Optional<RecoveryPlan> plan(String id) {
        return jdbc.one("SELECT plan_json FROM dr_plan WHERE id = ?", rs -> read(rs.getString(1), RecoveryPlan.class), id);
    }

    RecoveryPlan requirePlan(String id) {
        return plan(id).orElseThrow(() -> TianshuException.notFound("planId", "recovery plan", id));
    }

    List<RecoveryPlan> plans(String groupId) {
        return groupId == null
                ? jdbc.query("SELECT plan_json FROM dr_plan ORDER BY id", rs -> read(rs.getString(1), RecoveryPlan.class))
                : jdbc.query("SELECT plan_json FROM dr_plan WHERE group_id = ? ORDER BY id",
                        rs -> read(rs.getString(1), RecoveryPlan.class), groupId);
    }

    void deletePlan(String id) {
        jdbc.update("DELETE FROM dr_plan WHERE id = ?", id);
    }

    // ------------------------------------------------------------ runs

    void insertRun(DrRun run, String parentRun, List<Step> steps) {
        jdbc.update("INSERT INTO dr_run(id, plan_id, group_id, operation, parent_run, state, requested_by, network,"
                + " recovery_point, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", run.id(), run.planId(), run.groupId(),
                run.operation(), parentRun, run.state(), run.requestedBy(), run.network(), run.recoveryPoint(),
                run.startedAt());
        jdbc.batch("INSERT INTO dr_step(run_id, seq, kind, workload, priority, needs, target, state)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", steps.stream().map(s -> new Object[] {run.id(), s.seq, s.kind,
                        s.workload, s.priority, needs(s.needs), s.target, s.state}).toList());
    }

    Optional<DrRun> run(String id) {
        return jdbc.one("SELECT * FROM dr_run WHERE id = ?", rs -> runRow(rs, List.of()), id)
                .map(r -> withSteps(r, steps(id)));
    }

    DrRun requireRun(String id) {
        return run(id).orElseThrow(() -> TianshuException.notFound("runId", "DR run", id));
    }

    /** The run without its steps. */
    DrRun header(String id) {
        return jdbc.one("SELECT * FROM dr_run WHERE id = ?", rs -> runRow(rs, List.of()), id)
                .orElseThrow(() -> TianshuException.notFound("runId", "DR run", id));
    }

    List<DrRun> runs(String planId) {
        return jdbc.query("SELECT * FROM dr_run WHERE plan_id = ? ORDER BY started_at DESC", rs -> runRow(rs, List.of()),
                planId).stream().map(r -> withSteps(r, steps(r.id()))).toList();
    }

    String parentRun(String runId) {
        return jdbc.one("SELECT parent_run FROM dr_run WHERE id = ?", rs -> rs.getString(1), runId).orElse(null);
    }

    void setRunState(String runId, RunState from, RunState to) {
        jdbc.update("UPDATE dr_run SET state = ? WHERE id = ? AND state = ?", to, runId, from);
    }

    List<String> runsIn(RunState state) {
        return jdbc.query("SELECT id FROM dr_run WHERE state = ? ORDER BY started_at", rs -> rs.getString(1), state);
    }

    Optional<String> latestRun(String planId, DrOperation op, RunState state) {
        return jdbc.one("SELECT id FROM dr_run WHERE plan_id = ? AND operation = ? AND state = ? ORDER BY started_at DESC",
                rs -> rs.getString(1), planId, op, state);
    }

    private static DrRun withSteps(DrRun r, List<Step> steps) {
        return new DrRun(r.id(), r.planId(), r.groupId(), r.operation(), r.state(), r.requestedBy(), r.startedAt(),
                r.finishedAt(), r.recoveryPoint(), r.network(), r.error(), steps.stream().map(Step::view).toList());
    }

    private static DrRun runRow(ResultSet rs, List<DrStep> steps) throws SQLException {
        return new DrRun(rs.getString("id"), rs.getString("plan_id"), rs.getString("group_id"),
                DrOperation.valueOf(rs.getString("operation")), RunState.valueOf(rs.getString("state")),
                rs.getString("requested_by"), Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "finished_at"),
                Jdbc.instant(rs, "recovery_point"), rs.getString("network"), rs.getString("error"), steps);
    }

    List<Step> steps(String runId) {
        return jdbc.query("SELECT * FROM dr_step WHERE run_id = ? ORDER BY seq", rs -> new Step(rs.getInt("seq"),
                StepKind.valueOf(rs.getString("kind")), rs.getString("workload"), rs.getInt("priority"),
                needs(rs.getString("needs")), rs.getString("target"), StepState.valueOf(rs.getString("state")),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "finished_at"), rs.getString("detail")), runId);
    }

    /**
     * Journals in one batch the starts of {@code started} (only where the step is still PENDING: a step that
     * already ended keeps its end) and the states of {@code ended}.
     */
    void journalSteps(String runId, List<Step> started, List<Step> ended) {
        if (started.isEmpty() && ended.isEmpty()) {
            return;
        }
        jdbc.tx(c -> {
            if (!started.isEmpty()) {
                jdbc.batch("UPDATE dr_step SET state = ?, started_at = ? WHERE run_id = ? AND seq = ? AND state = ?",
                        started.stream().map(s -> new Object[] {StepState.RUNNING, s.startedAt, runId, s.seq,
                                StepState.PENDING}).toList());
            }
            if (!ended.isEmpty()) {
                jdbc.batch("UPDATE dr_step SET state = ?, started_at = ?, finished_at = ?, detail = ? WHERE run_id = ? AND seq = ?",
                        ended.stream().map(s -> new Object[] {s.state, s.startedAt, s.finishedAt, shorten(s.detail), runId,
                                s.seq}).toList());
            }
            return null;
        });
    }

    void journalStep(String runId, Step s) {
        jdbc.update("UPDATE dr_step SET state = ?, started_at = ?, finished_at = ?, detail = ? WHERE run_id = ? AND seq = ?",
                s.state, s.startedAt, s.finishedAt, shorten(s.detail), runId, s.seq);
    }

    void finishRun(String runId, RunState state, Instant at, Instant recoveryPoint, String error) {
        jdbc.update("UPDATE dr_run SET state = ?, finished_at = ?, recovery_point = COALESCE(?, recovery_point), error = ?"
                + " WHERE id = ?", state, at, recoveryPoint, shorten(error), runId);
    }

    static String shorten(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    private static String needs(int[] needs) {
        StringBuilder b = new StringBuilder();
        for (int n : needs) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(n);
        }
        return b.toString();
    }

    private static int[] needs(String s) {
        if (s == null || s.isEmpty()) {
            return new int[0];
        }
        String[] p = s.split(",");
        int[] r = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            r[i] = Integer.parseInt(p[i]);
        }
        return r;
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable DR record: " + e.getMessage(), e);
        }
    }
}
