package org.tianshu.api.scheduling;

import org.tianshu.api.Caller;

/** Evaluates how well capacity is used; also exported periodically as metrics. */
public interface EfficiencyService {
    /**
     * The evaluation now. Operators see every cloud, host and department; a department's users see their
     * departments and workloads only.
     */
    Efficiency evaluate(Caller caller);
}
