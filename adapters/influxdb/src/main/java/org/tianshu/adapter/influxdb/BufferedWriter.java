package org.tianshu.adapter.influxdb;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.metrics.SinkStats;

/**
 * A bounded buffer drained in batches by {@code writers} threads, each with at most one batch in flight. A point
 * counts against the capacity from the moment it is buffered until the transport stored it, in flight included, so
 * nothing is lost up to the capacity: points that do not fit are dropped and counted. A failed batch goes back to the
 * front of the buffer; from then on one batch at a time probes the transport, after a wait that starts at 100 ms and
 * doubles up to a maximum, and all writers resume once a batch is stored again. With one writer, batches are stored
 * in the order the points were offered; with more, batches may be stored out of order. A partly filled batch goes at
 * most once per flush interval. A batch the database refuses as it is ({@link Transport.Rejected}) is dropped and
 * counted, not retried. A point is whatever the transport sends ({@code T}).
 */
final class BufferedWriter<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedWriter.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final Transport<T> transport;
    private final int batchSize;
    private final int capacity;
    private final long flushNanos;
    private final long maxBackoffMillis;
    private final Deque<T> pending = new ArrayDeque<>();
    private final Object lock = new Object();
    private final List<Thread> workers = new ArrayList<>();
    /** Points taken by writers whose request has not answered yet. */
    private int inFlight;
    /** Zero while the transport stores batches; the current wait after failures otherwise. */
    private long backoffMillis;
    /** While backing off: whether a writer is probing, and when the next probe may start (nanoTime). */
    private boolean probing;
    private long retryAt;
    /** When a partly filled batch may go (nanoTime). */
    private long flushAt;
    private long dropped;
    private long written;
    /** The last problem: an outage until a batch is stored again, a rejection until the next problem. */
    private String lastError;
    private boolean outage;
    private boolean running = true;

    BufferedWriter(Transport<T> transport, int batchSize, Duration flushInterval, int capacity, Duration maxBackoff,
            int writers, String threadName) {
        if (writers < 1) {
            throw new IllegalArgumentException("writers must be at least 1, got " + writers);
        }
        this.transport = transport;
        this.batchSize = batchSize;
        this.capacity = capacity;
        this.flushNanos = flushInterval.toNanos();
        this.maxBackoffMillis = Math.max(maxBackoff.toMillis(), FIRST_BACKOFF.toMillis());
        flushAt = System.nanoTime() + flushNanos;
        for (int i = 0; i < writers; i++) {
            Thread t = new Thread(this::run, writers == 1 ? threadName : threadName + "-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    void offer(List<T> points) {
        synchronized (lock) {
            long before = dropped;
            for (T p : points) {
                if (pending.size() + inFlight < capacity) {
                    pending.addLast(p);
                } else {
                    dropped++;
                }
            }
            if (dropped != before && (before == 0 || dropped / 1000 != before / 1000)) {
                LOG.warn("metrics buffer full ({} points): {} points dropped so far", capacity, dropped);
            }
            if (pending.size() >= batchSize) {
                lock.notifyAll();
            }
        }
    }

    SinkStats stats() {
        synchronized (lock) {
            return new SinkStats(pending.size() + inFlight, dropped, written, lastError);
        }
    }

    private void run() {
        while (true) {
            List<T> batch;
            boolean probe;
            synchronized (lock) {
                try {
                    probe = awaitTurn();
                } catch (InterruptedException e) {
                    return;
                }
                if (!running) {
                    return;
                }
                batch = new ArrayList<>(Math.min(batchSize, pending.size()));
                while (batch.size() < batchSize && !pending.isEmpty()) {
                    batch.add(pending.removeFirst());
                }
                inFlight += batch.size();
                probing = probe;
                flushAt = System.nanoTime() + flushNanos;
            }
            try {
                transport.send(batch);
                stored(batch.size(), probe);
            } catch (Transport.Rejected e) {
                rejected(batch.size(), probe, e.getMessage());
            } catch (Exception e) {
                failed(batch, probe, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Waits (holding the lock) until this writer may take a batch or the writer closes: a full batch, or a partly
     * filled one once the flush interval passed; while backing off, only once the wait is over and no other writer
     * probes. Returns whether the batch is a probe.
     */
    private boolean awaitTurn() throws InterruptedException {
        while (running) {
            long now = System.nanoTime();
            long until;
            if (backoffMillis > 0) {
                if (!probing && now - retryAt >= 0 && !pending.isEmpty()) {
                    return true;
                }
                until = probing || now - retryAt >= 0 ? now + flushNanos : retryAt;
            } else {
                if (pending.size() >= batchSize || (!pending.isEmpty() && now - flushAt >= 0)) {
                    return false;
                }
                until = flushAt - now > 0 ? flushAt : now + flushNanos;
            }
            long waitNanos = until - now;
            lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
        }
        return false;
    }

    private void stored(int n, boolean probe) {
        synchronized (lock) {
            inFlight -= n;
            written += n;
            if (probe) {
                probing = false;
            }
            if (outage) {
                LOG.info("metrics written again after failures; {} points buffered", pending.size() + inFlight);
                lastError = null;
                outage = false;
            }
            backoffMillis = 0;
            lock.notifyAll();
        }
    }

    /**
     * The database refused the batch's points: retrying cannot store them, so they count as dropped and the writers go
     * on (the database answered, so it is up).
     */
    private void rejected(int n, boolean probe, String msg) {
        synchronized (lock) {
            inFlight -= n;
            dropped += n;
            if (probe) {
                probing = false;
            }
            lastError = "rejected by the database: " + msg;
            outage = false;
            backoffMillis = 0;
            LOG.error("metrics batch of {} points rejected by the database, dropped ({} dropped so far): {}", n, dropped, msg);
            lock.notifyAll();
        }
    }

    /** The batch goes back to the front of the buffer, in its order; the wait doubles only after a failed probe. */
    private void failed(List<T> batch, boolean probe, String msg) {
        synchronized (lock) {
            inFlight -= batch.size();
            for (ListIterator<T> i = batch.listIterator(batch.size()); i.hasPrevious();) {
                pending.addFirst(i.previous());
            }
            if (!outage) {
                LOG.warn("metrics write failed, retrying with backoff; points stay buffered: {}", msg);
            }
            lastError = msg;
            outage = true;
            if (probe) {
                probing = false;
                // (at least the first wait: a request started before the probe may have succeeded meanwhile)
                backoffMillis = Math.max(FIRST_BACKOFF.toMillis(), Math.min(backoffMillis * 2, maxBackoffMillis));
                retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
            } else if (backoffMillis == 0) {
                // the first failure after success; writes in flight since then fail without doubling the wait
                backoffMillis = FIRST_BACKOFF.toMillis();
                retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
            }
            lock.notifyAll();
        }
    }

    /** Lets the writers finish the batches in flight, tries once to send what is buffered, then returns. */
    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (Thread t : workers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<T> rest;
        synchronized (lock) {
            if (inFlight > 0) {
                LOG.warn("{} metric points still in flight at shutdown (InfluxDB did not answer within 5 s)", inFlight);
            }
            rest = new ArrayList<>(pending);
        }
        for (int i = 0; i < rest.size(); i += batchSize) {
            List<T> batch = rest.subList(i, Math.min(rest.size(), i + batchSize));
            try {
                transport.send(batch);
                synchronized (lock) {
                    for (int k = 0; k < batch.size(); k++) {
                        pending.removeFirst();
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
