package org.tianshu.events;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventBatchListener;
import org.tianshu.api.event.EventListener;
import org.tianshu.api.event.EventPublisher;

/**
 * A bounded queue drained by one delivery thread, so listeners see events in publication order.
 * A full queue drops the new event and counts it; a listener that throws is logged and counted.
 * The thread takes what is waiting (up to {@code maxBatch} events) at once: an {@link EventBatchListener} gets it in
 * one call, any other listener event by event. Each listener sees the batch before the next listener does.
 */
public final class EventBus implements EventPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    /** Counters of the bus. */
    public record Stats(long published, long delivered, long dropped, long listenerFailures, int queued) {
    }

    /** Events delivered at most in one batch when no size is given. */
    public static final int DEFAULT_MAX_BATCH = 1000;

    private final BlockingQueue<Event> queue;
    private final int maxBatch;
    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;

    public EventBus(int queueCapacity) {
        this(queueCapacity, DEFAULT_MAX_BATCH);
    }

    /** A bus holding at most {@code queueCapacity} waiting events, delivering at most {@code maxBatch} in one batch. */
    public EventBus(int queueCapacity, int maxBatch) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        this.maxBatch = maxBatch;
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
            Event first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                return;
            }
            if (first != null) {
                // a new list per batch: a listener may keep it (a Camel exchange that is redelivered later)
                List<Event> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                deliver(Collections.unmodifiableList(batch));
            }
        }
    }

    private void deliver(List<Event> batch) {
        for (EventListener l : listeners) {
            if (l instanceof EventBatchListener bl) {
                try {
                    bl.onEvents(batch);
                } catch (RuntimeException | LinkageError ex) {
                    failures.incrementAndGet();
                    LOG.warn("event listener {} failed on a batch of {} events from {} {}", l.getClass().getName(),
                            batch.size(), batch.get(0).type(), batch.get(0).subject(), ex);
                }
                continue;
            }
            for (Event e : batch) {
                try {
                    l.onEvent(e);
                } catch (RuntimeException | LinkageError ex) {
                    failures.incrementAndGet();
                    LOG.warn("event listener {} failed on {} {}", l.getClass().getName(), e.type(), e.subject(), ex);
                }
            }
        }
        delivered.addAndGet(batch.size());
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
