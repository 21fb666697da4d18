package org.tianshu.api.scheduling;

import java.util.List;
import org.tianshu.api.Caller;

/** Proposes, approves and executes rebalancing plans (operators only). */
public interface RebalanceService {
    /** Computes and keeps a plan for one cloud, or for every cloud when {@code cloudId} is null; NOT_FOUND naming {@code cloud}. */
    RebalancePlan propose(String cloudId, Caller caller);

    /** Approves a proposed plan; CONFLICT naming {@code id} if it is not PROPOSED. */
    RebalancePlan approve(String id, Caller caller);

    /** Starts executing an approved plan and returns at once; CONFLICT naming {@code id} if it is not APPROVED. */
    RebalancePlan execute(String id, Caller caller);

    /** A plan; NOT_FOUND naming {@code id}. */
    RebalancePlan get(String id, Caller caller);

    /** Every plan, newest first. */
    List<RebalancePlan> list(Caller caller);
}
