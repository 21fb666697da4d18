package org.tianshu.dr;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.dr.GroupState;
import org.tianshu.api.dr.ProtectedWorkload;
import org.tianshu.api.dr.ProtectionGroup;
import org.tianshu.api.dr.ReplicatingSession;
import org.tianshu.api.dr.ReplicationStatus;
import org.tianshu.api.dr.WorkloadCopy;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;

/**
 * Copies protected workloads to their recovery cloud (export from the protected side, keep ready on the
 * recovery side), records each latest consistent copy, measures the RPO and raises
 * {@link EventType#PROTECTION_RPO_EXCEEDED} when it goes over a group's objective.
 */
final class Replicator {
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

    private final DrStore store;
    private final CloudService clouds;
    private final CloudGate gate;
    private final Supplier<EventPublisher> events;
    private final DrMetrics metrics;

    Replicator(DrStore store, CloudService clouds, CloudGate gate, Supplier<EventPublisher> events, DrMetrics metrics) {
        this.store = store;
        this.clouds = clouds;
        this.gate = gate;
        this.events = events;
        this.metrics = metrics;
    }

    /** The session of {@code cloudId} as a replicating one; INVALID naming {@code field} if its driver cannot. */
    ReplicatingSession session(String field, String cloudId) {
        CloudSession s = clouds.session(cloudId);
        if (s instanceof ReplicatingSession r) {
            return r;
        }
        throw TianshuException.invalid(field, "the driver of cloud '" + cloudId + "' cannot replicate workloads");
    }

    /** Copies every workload of the group now; returns the new status. */
    ReplicationStatus replicate(String groupId) {
        ProtectionGroup g = store.requireGroup("groupId", groupId).group();
        if (g.state() != GroupState.PROTECTED) {
            throw TianshuException.conflict("groupId", "protection group '" + groupId + "' is " + g.state().name()
                    .toLowerCase() + "; reprotect it before replicating");
        }
        for (ProtectedWorkload w : g.workloads()) {
            sync(g, w.name(), null);
        }
        return check(groupId);
    }

    /** Copies one workload of {@code g}; returns the copy as recorded. */
    DrStore.Copy sync(ProtectionGroup g, String name, BusyClock clock) {
        String externalId = g.workloads().stream().filter(w -> w.name().equals(name)).map(ProtectedWorkload::externalId)
                .findFirst().orElseThrow(() -> TianshuException.notFound("workload", "workload of group " + g.id(), name));
        WorkloadCopy copy = gate.call(g.protectedCloudId(), clock,
                () -> session("protectedCloudId", g.protectedCloudId()).export(externalId));
        String copyId = gate.call(g.recoveryCloudId(), clock,
                () -> session("recoveryCloudId", g.recoveryCloudId()).keepReady(copy, copy.network()));
        DrStore.Copy recorded = new DrStore.Copy(name, g.recoveryCloudId(), copyId, copy.network(), copy.consistentAt());
        store.saveCopy(g.id(), recorded);
        return recorded;
    }

    /** Replication status of a group, measured now. */
    ReplicationStatus status(String groupId) {
        ProtectionGroup g = store.requireGroup("groupId", groupId).group();
        Map<String, DrStore.Copy> copies = store.copies(groupId);
        Map<String, Instant> times = new HashMap<>();
        Instant oldest = null;
        boolean missing = false;
        for (ProtectedWorkload w : g.workloads()) {
            DrStore.Copy c = copies.get(w.name());
            if (c == null) {
                missing = true;
                continue;
            }
            times.put(w.name(), c.consistentAt());
            oldest = oldest == null || c.consistentAt().isBefore(oldest) ? c.consistentAt() : oldest;
        }
        Instant rp = missing ? null : oldest;
        long rpo = rp == null ? -1 : Math.max(0, Duration.between(rp, Instant.now()).toSeconds());
        return new ReplicationStatus(groupId, rp, rpo, g.rpoTargetSeconds(), rp == null || rpo > g.rpoTargetSeconds(), times);
    }

    /** Measures the group's RPO, records it and raises the event when it has just gone over the objective. */
    ReplicationStatus check(String groupId) {
        DrStore.Group row = store.requireGroup("groupId", groupId);
        ReplicationStatus s = status(groupId);
        metrics.rpo(row.group(), s);
        boolean exceeded = s.exceeded() && row.group().state() == GroupState.PROTECTED;
        if (exceeded != row.rpoExceeded()) {
            store.setRpoExceeded(groupId, exceeded);
            EventPublisher publisher = events.get();
            if (exceeded && publisher != null) {
                publisher.publish(Event.now(EventType.PROTECTION_RPO_EXCEEDED, "dr-group/" + groupId,
                        row.group().departmentId(), row.group().recoveryCloudId(), Map.of(
                                "rpoSeconds", String.valueOf(s.rpoSeconds()),
                                "rpoTargetSeconds", String.valueOf(s.rpoTargetSeconds()))));
            }
        }
        return s;
    }

    /** One replication pass: copies every protected group that no recovery holds, then checks every RPO. */
    void pass() {
        for (DrStore.Group row : store.groups()) {
            String id = row.group().id();
            try {
                if (row.group().state() == GroupState.PROTECTED && (row.activeRun() == null || drillOnly(row.activeRun()))) {
                    replicate(id);
                } else {
                    check(id);
                }
            } catch (RuntimeException e) {
                LOG.warn("replication of protection group {} failed: {}", id, e.getMessage());
                check(id);
            }
        }
    }

    private boolean drillOnly(String runId) {
        var op = store.header(runId).operation();
        return op == org.tianshu.api.dr.DrOperation.DRILL || op == org.tianshu.api.dr.DrOperation.CLEANUP;
    }
}
