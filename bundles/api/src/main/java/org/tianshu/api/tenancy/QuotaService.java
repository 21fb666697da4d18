package org.tianshu.api.tenancy;

import java.util.List;
import org.tianshu.api.Caller;
import org.tianshu.api.Resources;

/**
 * Quotas per department, per resource and per cloud. Reservations are atomic: concurrent
 * reservations never exceed a limit, and each is keyed by its request so that reserving or
 * releasing twice has no further effect.
 */
public interface QuotaService {
    /** Sets a limit; a limit below current use is refused with CONFLICT naming {@code limit}. */
    Quota set(String departmentId, String cloudId, QuotaResource resource, long limit, Caller caller);

    /** Removes a limit (the resource becomes unlimited at that scope). */
    void remove(String departmentId, String cloudId, QuotaResource resource, Caller caller);

    /** Limits and usage of a department. */
    List<Quota> list(String departmentId, Caller caller);

    /**
     * Reserves {@code resources} plus {@code instances} for {@code requestId} against every limit
     * of the department that applies to {@code cloudId} (its own and {@link Quota#ALL_CLOUDS}).
     * All or nothing; CONFLICT naming the exhausted resource. A second call with the same
     * {@code requestId} changes nothing.
     */
    void reserve(String requestId, String departmentId, String cloudId, Resources resources, long instances);

    /** Releases what {@code requestId} holds; nothing if it holds nothing. */
    void release(String requestId);
}
