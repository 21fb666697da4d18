package org.tianshu.api.audit;

import java.util.List;
import org.tianshu.api.Caller;

/** The audit log of mutating calls, written by every interface (REST, shell, files). */
public interface AuditService {
    /** Appends an event. */
    void record(Caller caller, String action, String target, String outcome, String detail);

    /** The latest {@code limit} events, newest first; operators only. */
    List<AuditEvent> recent(int limit, Caller caller);
}
