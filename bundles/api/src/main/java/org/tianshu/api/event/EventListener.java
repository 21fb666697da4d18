package org.tianshu.api.event;

/** Receives every published event; register as an OSGi service (whiteboard). */
@FunctionalInterface
public interface EventListener {
    /** Called on the bus's delivery thread; return quickly, an exception is logged and does not reach other listeners. */
    void onEvent(Event event);
}
