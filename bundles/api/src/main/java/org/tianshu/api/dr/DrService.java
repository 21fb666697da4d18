package org.tianshu.api.dr;

import java.time.Duration;
import java.util.List;
import org.tianshu.api.Caller;

/** Read side of disaster recovery. Each method shows only what the caller's departments may see. */
public interface DrService {
    /** Protection groups visible to the caller, ordered by id. */
    List<ProtectionGroup> groups(Caller caller);

    /** The group {@code id}; NOT_FOUND naming {@code groupId} otherwise. */
    ProtectionGroup group(String id, Caller caller);

    /** Recovery plans, of one group or (null) of all visible groups. */
    List<RecoveryPlan> plans(String groupId, Caller caller);

    /** The plan {@code id}; NOT_FOUND naming {@code planId} otherwise. */
    RecoveryPlan plan(String id, Caller caller);

    /** Runs of one plan, newest first (the history). */
    List<DrRun> runs(String planId, Caller caller);

    /** The run {@code id} with its steps; NOT_FOUND naming {@code runId} otherwise. */
    DrRun run(String id, Caller caller);

    /** Waits until the run is settled or {@code timeout} passes; returns its latest record. */
    DrRun await(String runId, Duration timeout, Caller caller);

    /** Replication status of a group with its measured RPO. */
    ReplicationStatus replication(String groupId, Caller caller);

    /** Measured RTO, achieved RPO and step timings of a run. */
    RecoveryReport report(String runId, Caller caller);

    /** The report as a self-contained HTML page. */
    String reportHtml(String runId, Caller caller);

    /** The report as a PDF document (what a DR team hands to auditors). */
    byte[] reportPdf(String runId, Caller caller);

    /** Plans drilled on a schedule (of groups visible to the caller) with their next runs and history. */
    List<ScheduledDrill> scheduledDrills(Caller caller);
}
