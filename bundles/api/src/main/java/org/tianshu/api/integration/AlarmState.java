package org.tianshu.api.integration;

/** Where an alarm is in its life. */
public enum AlarmState {
    /** Raised and not yet acknowledged. */
    OPEN,
    /** An operator has seen it; the condition may still last. */
    ACKNOWLEDGED,
    /** The condition ended. */
    CLEARED
}
