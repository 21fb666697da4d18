package org.tianshu.api.integration;

import java.util.List;
import org.tianshu.api.Caller;

/**
 * Recommendations waiting for a human's decision. A decision is only recorded and published as a
 * {@link org.tianshu.api.event.EventType#RECOMMENDATION_DECIDED} event; nothing is executed here. Operators only
 * (FORBIDDEN otherwise).
 */
public interface RecommendationService {
    /** Recommendations newest first; {@code state} null for all. */
    List<Recommendation> list(RecommendationState state, Caller caller);

    /** Approves a pending recommendation. NOT_FOUND naming {@code id}; CONFLICT naming {@code id} if already decided. */
    Recommendation approve(long id, String note, Caller caller);

    /** Rejects a pending recommendation. NOT_FOUND naming {@code id}; CONFLICT naming {@code id} if already decided. */
    Recommendation reject(long id, String note, Caller caller);
}
