package org.tianshu.api.integration;

import java.util.List;
import org.tianshu.api.Caller;

/** Alarms raised by the integration routes; operators only (FORBIDDEN otherwise). */
public interface AlarmService {
    /** Alarms newest first; {@code activeOnly} leaves out the cleared ones. */
    List<Alarm> list(boolean activeOnly, Caller caller);

    /**
     * Marks an alarm acknowledged by the caller. NOT_FOUND naming {@code id}; CONFLICT naming {@code id} if it is
     * already acknowledged or cleared.
     */
    Alarm acknowledge(long id, Caller caller);
}
