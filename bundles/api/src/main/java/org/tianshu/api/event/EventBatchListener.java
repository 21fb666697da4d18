package org.tianshu.api.event;

import java.util.List;

/**
 * A listener that takes the events the bus has waiting in one call. The bus hands it every event, in publication
 * order, batch after batch; {@link #onEvent} is for a single event published outside a batch.
 */
public interface EventBatchListener extends EventListener {
    /**
     * Called on the bus's delivery thread with one or more events in publication order; the list is only valid during
     * the call. An exception is logged and counted once for the batch, so handle per-event failures here.
     */
    void onEvents(List<Event> events);

    @Override
    default void onEvent(Event event) {
        onEvents(List.of(event));
    }
}
