package org.tianshu.adapter.influxdb;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.metrics.SinkStats;

/**
 * A bounded buffer drained in batches by one thread. A batch leaves the buffer only once the transport
 * stored it; a failed send is retried after a wait that starts at 100 ms and doubles up to a maximum.
 * Points that do not fit in the buffer are dropped and counted. A point is whatever the transport sends ({@code T}).
 */
final class BufferedWriter<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedWriter.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final Transport<T> transport;
    private final int batchSize;
    private final int capacity;
    private final long flushMillis;
    private final long maxBackoffMillis;
    private final Deque<T> buffer = new ArrayDeque<>();
    private final Object lock = new Object();
    private final Thread worker;
    private long dropped;
    private long written;
    private String lastError;
    private boolean running = true;

    BufferedWriter(Transport<T> transport, int batchSize, Duration flushInterval, int capacity, Duration maxBackoff,
            String threadName) {
        this.transport = transport;
        this.batchSize = batchSize;
        this.capacity = capacity;
        this.flushMillis = flushInterval.toMillis();
        this.maxBackoffMillis = Math.max(maxBackoff.toMillis(), FIRST_BACKOFF.toMillis());
        worker = new Thread(this::run, threadName);
        worker.setDaemon(true);
        worker.start();
    }

    void offer(List<T> points) {
        synchronized (lock) {
            long before = dropped;
            for (T p : points) {
                if (buffer.size() < capacity) {
                    buffer.addLast(p);
                } else {
                    dropped++;
                }
            }
            if (dropped != before && (before == 0 || dropped / 1000 != before / 1000)) {
                LOG.warn("metrics buffer full ({} points): {} points dropped so far", capacity, dropped);
            }
            if (buffer.size() >= batchSize) {
                lock.notifyAll();
            }
        }
    }

    SinkStats stats() {
        synchronized (lock) {
            return new SinkStats(buffer.size(), dropped, written, lastError);
        }
    }

    private void run() {
        long backoff = 0;
        while (true) {
            List<T> batch;
            synchronized (lock) {
                long wait = backoff > 0 ? backoff : flushMillis;
                long until = System.currentTimeMillis() + wait;
                // wait for the flush interval, a full batch (unless backing off) or close
                while (running && (backoff > 0 || buffer.size() < batchSize)) {
                    long left = until - System.currentTimeMillis();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        lock.wait(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) {
                    return;
                }
                if (buffer.isEmpty()) {
                    continue;
                }
                batch = new ArrayList<>(Math.min(batchSize, buffer.size()));
                for (T p : buffer) {
                    if (batch.size() == batchSize) {
                        break;
                    }
                    batch.add(p);
                }
            }
            try {
                transport.send(batch);
                synchronized (lock) {
                    for (int i = 0; i < batch.size(); i++) {
                        buffer.removeFirst();
                    }
                    written += batch.size();
                    if (lastError != null) {
                        LOG.info("metrics written again after failures; {} points buffered", buffer.size());
                    }
                    lastError = null;
                }
                backoff = 0;
            } catch (Exception e) {
                String msg = e.getClass().getSimpleName() + ": " + e.getMessage();
                synchronized (lock) {
                    if (lastError == null) {
                        LOG.warn("metrics write failed, retrying with backoff; points stay buffered: {}", msg);
                    }
                    lastError = msg;
                }
                backoff = backoff == 0 ? FIRST_BACKOFF.toMillis() : Math.min(backoff * 2, maxBackoffMillis);
            }
        }
    }

    /** Tries once to send what is buffered, then stops the thread. */
    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<T> rest;
        synchronized (lock) {
            rest = new ArrayList<>(buffer);
        }
        for (int i = 0; i < rest.size(); i += batchSize) {
            List<T> batch = rest.subList(i, Math.min(rest.size(), i + batchSize));
            try {
                transport.send(batch);
                synchronized (lock) {
                    for (int k = 0; k < batch.size(); k++) {
                        buffer.removeFirst();
                    }
                    written += batch.size();
                }
            } catch (Exception e) {
                LOG.warn("{} metric points not written at shutdown: {}", rest.size() - i, e.getMessage());
                return;
            }
        }
    }
}
