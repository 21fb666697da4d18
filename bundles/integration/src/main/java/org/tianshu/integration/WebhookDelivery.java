package org.tianshu.integration;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the outbox entries of one webhook from its own thread: every entry due, oldest first; a failed POST is tried
 * again after a delay that starts at {@code backoffMillis} and doubles up to {@code maxBackoffMillis}; after
 * {@code retries} retries the entry becomes a dead letter. Starting it picks up what an earlier run left in the outbox.
 */
final class WebhookDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final int BATCH = 100;
    /** Longest sleep without a look at the outbox (an entry promised by another writer of the same database). */
    private static final long MAX_SLEEP_MILLIS = 5000;

    private final WebhookConfig config;
    private final WebhookOutbox outbox;
    private final WebhookSender sender;
    private final Object lock = new Object();
    private final Thread worker;
    private boolean woken;
    /** True while the worker waits for a POST: only then may {@link #close} interrupt it (never in JDBC code). */
    private boolean posting;
    private volatile boolean running = true;

    WebhookDelivery(WebhookConfig config, WebhookOutbox outbox, WebhookSender sender) {
        this.config = config;
        this.outbox = outbox;
        this.sender = sender;
        worker = new Thread(this::run, "tianshu-webhook-" + config.name());
        worker.setDaemon(true);
        worker.start();
    }

    /** Tells the worker a new entry is due. */
    void wake() {
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                List<WebhookOutbox.Entry> due = outbox.due(config.name(), BATCH);
                for (WebhookOutbox.Entry e : due) {
                    if (!running) {
                        return;
                    }
                    attempt(e);
                }
                if (due.size() < BATCH) {
                    sleepUntil(outbox.nextDue(config.name()).orElse(null));
                }
            } catch (RuntimeException e) {
                // the database is away: the entries stay in the outbox, look again later
                LOG.warn("webhook {}: outbox not readable, trying again in {} ms: {}", config.name(), MAX_SLEEP_MILLIS,
                        e.getMessage());
                sleepUntil(outbox.clock().instant().plusMillis(MAX_SLEEP_MILLIS));
            }
        }
    }

    private void attempt(WebhookOutbox.Entry e) {
        String error = null;
        synchronized (lock) {
            if (!running) {
                return;
            }
            posting = true;
        }
        try {
            sender.post(config.url(), e.payload(), Duration.ofMillis(config.timeoutMillis()));
        } catch (IOException | RuntimeException ex) {
            error = String.valueOf(ex.getMessage());
        } finally {
            synchronized (lock) {
                posting = false;
                Thread.interrupted();
            }
        }
        if (error == null) {
            outbox.delivered(e.id());
            return;
        }
        if (!running) {
            // stopped during the POST: not counted as an attempt, the next start posts it again
            return;
        }
        if (e.attempts() >= config.retries()) {
            outbox.deadLetter(e, config.url(), error);
            LOG.warn("webhook {}: {} {} not delivered after {} attempts ({}), kept as a dead letter", config.name(),
                    e.eventType(), e.subject(), e.attempts() + 1, error);
            return;
        }
        long delay = Math.min(config.maxBackoffMillis(), config.backoffMillis() << Math.min(e.attempts(), 30));
        outbox.failed(e, error, outbox.clock().instant().plusMillis(delay));
        LOG.debug("webhook {}: {} {} attempt {} failed ({}), next in {} ms", config.name(), e.eventType(), e.subject(),
                e.attempts() + 1, error, delay);
    }

    private void sleepUntil(Instant next) {
        synchronized (lock) {
            long wait = next == null ? MAX_SLEEP_MILLIS
                    : Math.min(MAX_SLEEP_MILLIS, Duration.between(outbox.clock().instant(), next).toMillis());
            long until = System.currentTimeMillis() + wait;
            while (running && !woken) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException ie) {
                    return;
                }
            }
            woken = false;
        }
    }

    /** Stops the worker; a POST in progress is abandoned and the entry stays in the outbox. */
    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            if (posting) {
                worker.interrupt();
            }
            lock.notifyAll();
        }
        try {
            worker.join(5000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
