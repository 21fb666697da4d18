package org.tianshu.events;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventListener;
import org.tianshu.api.event.EventPublisher;

/**
 * A bounded queue drained by one delivery thread, so listeners see events in publication order.
 * A full queue drops the new event and counts it; a listener that throws is logged and counted.
 */
public final class EventBus implements EventPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    /** Counters of the bus. */
    public record Stats(long published, long delivered, long dropped, long listenerFailures, int queued) {
    }

    private final BlockingQueue<Event> queue;
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;

    public EventBus(int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
        }
        queue = new ArrayBlockingQueue<>(queueCapacity);
        worker = new Thread(this::deliverLoop, "tianshu-events");
        worker.setDaemon(true);
        worker.start();
    }

    public void addListener(EventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(EventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void publish(Event event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        if (!running || !queue.offer(event)) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("event queue full: {} events dropped so far (last {} {})", n, event.type(), event.subject());
            }
            return;
        }
        published.incrementAndGet();
    }

    public Stats stats() {
        return new Stats(published.get(), delivered.get(), dropped.get(), failures.get(), queue.size());
    }

    private void deliverLoop() {
        while (running || !queue.isEmpty()) {
            Event e;
            try {
                e = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                return;
            }
            if (e != null) {
                deliver(e);
            }
        }
    }

    private void deliver(Event e) {
        for (EventListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException | LinkageError ex) {
                failures.incrementAndGet();
                LOG.warn("event listener {} failed on {} {}", l.getClass().getName(), e.type(), e.subject(), ex);
            }
        }
        delivered.incrementAndGet();
    }

    /** Stops accepting events, delivers what is queued (waiting at most two seconds) and stops the thread. */
    @Override
    public void close() {
        running = false;
        try {
            worker.join(2000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        worker.interrupt();
    }
}
