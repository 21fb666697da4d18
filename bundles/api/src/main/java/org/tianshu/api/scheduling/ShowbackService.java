package org.tianshu.api.scheduling;

import java.time.Instant;
import org.tianshu.api.Caller;

/** Usage per department over time, priced from the rate table. */
public interface ShowbackService {
    /**
     * Usage in {@code [from, to)} of one department, or (null) of every department the caller may see. INVALID
     * naming {@code to} if it is not after {@code from}.
     */
    ShowbackReport report(Instant from, Instant to, String departmentId, Caller caller);
}
