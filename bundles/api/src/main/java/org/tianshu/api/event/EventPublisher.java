package org.tianshu.api.event;

/** Publishes events to every {@link EventListener}, asynchronously. */
public interface EventPublisher {
    /** Queues {@code event} for delivery and returns at once; an event that does not fit in the queue is dropped and counted. */
    void publish(Event event);
}
