package org.tianshu.adapter.srv6;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the backbone links' state ({@code ip -n <router> monitor link} in every router namespace) and runs
 * {@link Srv6Dataplane#reconcile()} when one changes, so that 1+1 backups take over without waiting for a controller
 * round trip, and publishes {@link EventType#LINK_DOWN} / {@link EventType#LINK_UP} (subject {@code link/<id>}) so that
 * the planes are recomputed and pushed. Waits for the lab when it is not up yet.
 */
final class LinkWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkWatcher.class);
    private static final Pattern LINE = Pattern.compile("^(?:Deleted )?\\d+: ([^:@ ]+)(?:@[^:]*)?: .* state (\\S+)");

    private final Srv6Dataplane dataplane;
    private final EventPublisher events;
    private final Map<String, Boolean> published = new ConcurrentHashMap<>();
    private final List<Process> monitors = new CopyOnWriteArrayList<>();
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final Semaphore changed = new Semaphore(0);
    private final Thread worker;
    private volatile boolean closed;
    private String lastProblem;

    LinkWatcher(Srv6Dataplane dataplane, EventPublisher events) {
        this.dataplane = dataplane;
        this.events = events;
        worker = new Thread(this::run, "srv6-link-watcher");
        worker.setDaemon(true);
        worker.start();
    }

    private void run() {
        while (!closed) {
            try {
                if (monitors.isEmpty() || monitors.stream().anyMatch(p -> !p.isAlive())) {
                    start();
                }
                if (changed.tryAcquire(5, TimeUnit.SECONDS)) {
                    changed.drainPermits();
                    long t0 = System.nanoTime();
                    int n = dataplane.reconcile();
                    lastProblem = null;
                    LOG.info("srv6: link state changed, {} kernel objects updated in {} ms", n, (System.nanoTime() - t0) / 1_000_000);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!String.valueOf(e.getMessage()).equals(lastProblem)) { // once, not every 5 s while the lab is down
                    LOG.warn("srv6 link watcher: {}", e.getMessage());
                    lastProblem = String.valueOf(e.getMessage());
                }
                sleep();
            }
        }
    }

    private void start() {
        stop();
        LabTopology lab = dataplane.lab();
        for (var r : lab.topology().routers()) {
            String ns = lab.routerNamespace(r.id());
            Process p;
            try {
                p = new ProcessBuilder("ip", "-n", ns, "monitor", "link").redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run ip monitor: " + e.getMessage(), e);
            }
            monitors.add(p);
            Thread t = new Thread(() -> follow(r.id(), ns, lab, p), "srv6-monitor-" + r.id());
            t.setDaemon(true);
            t.start();
        }
        changed.release(); // links may have changed while nobody watched
    }

    private void follow(String router, String ns, LabTopology lab, Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                Matcher m = LINE.matcher(line);
                if (m.find() && lab.isRouter(m.group(1))) {
                    String before = states.put(ns + " " + m.group(1), m.group(2));
                    if (!m.group(2).equals(before)) {
                        changed.release();
                        lab.link(router, m.group(1)).ifPresent(l -> publish(l.id(), m.group(2).equals("UP")));
                    }
                }
            }
        } catch (IOException e) {
            // the monitor ended: run() starts it again
        }
    }

    /** One event per change of a link, whichever of its two ends reported it first. */
    private void publish(String link, boolean up) {
        Boolean before = published.put(link, up);
        if (before == null ? up : before == up) {
            return; // the first report of a link that is up says nothing new; the other end repeats a change
        }
        events.publish(Event.now(up ? EventType.LINK_UP : EventType.LINK_DOWN, "link/" + link, null, null,
                Map.of("link", link, "controller", Srv6Dataplane.NAME)));
    }

    private void sleep() {
        try {
            Thread.sleep(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        monitors.forEach(Process::destroy);
        monitors.clear();
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        stop();
    }
}
