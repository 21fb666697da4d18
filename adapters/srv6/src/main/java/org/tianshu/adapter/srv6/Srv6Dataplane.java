package org.tianshu.adapter.srv6;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.NetworkController;
import org.tianshu.api.plane.PlaneProbe;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.ProbeResult;
import org.tianshu.api.plane.Topology;

/**
 * The lab's kernel SRv6 dataplane ({@code lab/srv6.sh}) as a {@link NetworkController} and {@link PlaneProbe}. All
 * state lives in the kernel: each call reads it back ({@code ip -j}), computes the difference to what the plane needs
 * and writes only that ({@code ip -batch}), so apply is idempotent, replaces what the plane had, and {@link #realised()}
 * is what the routers really hold. 1+1: primary and backup are both installed; {@link #reconcile()} (run after every
 * link change by {@link LinkWatcher}) lets the backup carry the traffic while a link of the primary's path is down.
 */
public class Srv6Dataplane implements NetworkController, PlaneProbe, AutoCloseable {
    /** The value of the {@code tianshu.controller} service property. */
    public static final String NAME = "srv6-lab";
    private static final Logger LOG = LoggerFactory.getLogger(Srv6Dataplane.class);
    /** The rate probe run in the hosts' namespaces. */
    private static final String RATE_SCRIPT = resource("rate.py");
    /** TCP port of the rate probe's receiver (in a host namespace of its own: nothing else listens there). */
    private static final int RATE_PORT = 5201;

    private final Path topologyFile;
    private final String prefix;
    private final IpRoute ip;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "srv6-ip");
        t.setDaemon(true);
        return t;
    });
    private final Object rateLock = new Object();
    private LabTopology lab;
    private FileTime labVersion;

    Srv6Dataplane(Path topologyFile, String namespacePrefix, IpRoute ip) {
        this.topologyFile = Objects.requireNonNull(topologyFile);
        this.prefix = Objects.requireNonNull(namespacePrefix);
        this.ip = ip;
    }

    /** The dataplane of the lab whose topology file is given, e.g. {@code /var/tmp/tianshu-lab/srv6/topology.json}. */
    public static Srv6Dataplane open(Path topologyFile, String namespacePrefix, Duration commandTimeout) {
        return new Srv6Dataplane(topologyFile, namespacePrefix, new IpRoute("ip", commandTimeout));
    }

    /** Starts following the backbone links: {@link #reconcile()} runs after each change until closed. */
    public AutoCloseable watchLinks() {
        return watchLinks(event -> { });
    }

    /** As {@link #watchLinks()}, and each link's change is published as LINK_DOWN or LINK_UP. */
    public AutoCloseable watchLinks(EventPublisher events) {
        return new LinkWatcher(this, events);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The lab's topology, re-read when {@code lab/srv6.sh up} wrote it again. */
    synchronized LabTopology lab() {
        FileTime version;
        try {
            version = Files.getLastModifiedTime(topologyFile);
        } catch (java.io.IOException e) {
            version = null;
        }
        if (lab == null || version == null || !version.equals(labVersion)) {
            lab = LabTopology.read(topologyFile, prefix);
            labVersion = version;
        }
        return lab;
    }

    @Override
    public Topology topology() {
        LabTopology l = lab();
        Snapshot s = Snapshot.read(l, ip, pool);
        return new Topology(l.topology().routers(), l.topology().links().stream().map(k -> k.withUp(s.linkUp(k.id()))).toList());
    }

    @Override
    public List<Attachment> attachments() {
        return lab().attachments();
    }

    @Override
    public void apply(PlaneRealisation plane) {
        applyAll(Collections.singletonList(plane));
    }

    /** One read of the kernel and one push for all the planes (one ip -batch per namespace and family). */
    @Override
    public synchronized void applyAll(List<PlaneRealisation> planes) {
        LabTopology l = lab();
        Snapshot now = Snapshot.read(l, ip, pool);
        Set<Attachment> hosts = new LinkedHashSet<>();
        for (PlaneRealisation plane : planes) {
            now.bindings().stream().filter(b -> plane != null && b.plane().equals(plane.plane())).forEach(b -> hosts.add(b.attachment()));
            if (plane != null) {
                plane.sites().stream().map(s -> s.attachment()).filter(a -> a != null && l.attachments().contains(a)).forEach(hosts::add);
            }
        }
        now.withHosts(hosts, ip, pool);
        PlaneRenderer renderer = new PlaneRenderer(l);
        List<KernelObject> current = new ArrayList<>();
        List<KernelObject> desired = new ArrayList<>();
        for (PlaneRealisation plane : planes) {
            desired.addAll(renderer.render(plane, now)); // validates first: a bad plane changes nothing
            current.addAll(now.objects(plane.plane()));
        }
        push(current, desired);
    }

    @Override
    public synchronized void remove(String plane) {
        LabTopology l = lab();
        Snapshot now = Snapshot.read(l, ip, pool);
        List<Attachment> hosts = now.bindings().stream().filter(b -> b.plane().equals(plane)).map(Snapshot.Binding::attachment).toList();
        now.withHosts(hosts, ip, pool);
        push(now.objects(plane), List.of());
    }

    @Override
    public List<PlaneRealisation> realised() {
        return Snapshot.read(lab(), ip, pool).realisations();
    }

    /**
     * Re-applies every plane as the kernel holds it against the current link states: a primary whose path crosses a
     * link that is down gets metric 300 so that its backup (200) carries the traffic, and gets 100 back once the link
     * is up. Returns the number of kernel objects changed.
     */
    public synchronized int reconcile() {
        LabTopology l = lab();
        Snapshot now = Snapshot.read(l, ip, pool);
        PlaneRenderer renderer = new PlaneRenderer(l);
        List<KernelObject> current = new ArrayList<>();
        List<KernelObject> desired = new ArrayList<>();
        for (PlaneRealisation p : now.realisations()) {
            // link state never changes what the hosts need: leave them out (and unread)
            current.addAll(routersOnly(now.objects(p.plane())));
            desired.addAll(routersOnly(renderer.render(p, now)));
        }
        // one push for all planes: a kernel object belongs to one plane, and one ip -batch per namespace and family
        // serves them all (per plane, a link change cost a process per plane, namespace and family)
        return push(current, desired);
    }

    private static List<KernelObject> routersOnly(List<KernelObject> objects) {
        return objects.stream().filter(o -> !o.kind().onHost()).toList();
    }

    /** Deletes what is current but not desired, then adds what is desired but not current; returns the changes. */
    private int push(List<KernelObject> current, List<KernelObject> desired) {
        Map<String, KernelObject> cur = new HashMap<>();
        current.forEach(o -> cur.put(o.id(), o));
        Map<String, KernelObject> des = new HashMap<>();
        desired.forEach(o -> des.put(o.id(), o));
        List<KernelObject> dels = current.stream().filter(o -> !same(o, des.get(o.id())))
                .sorted(Comparator.comparing((KernelObject o) -> !o.kind().onHost()).thenComparing(KernelObject::namespace)
                        .thenComparing(KernelObject::family).thenComparing(KernelObject::kind, Comparator.reverseOrder()))
                .toList();
        List<KernelObject> adds = desired.stream().filter(o -> !same(o, cur.get(o.id())))
                .sorted(Comparator.comparing((KernelObject o) -> o.kind().onHost()).thenComparing(KernelObject::namespace)
                        .thenComparing(KernelObject::family, Comparator.reverseOrder()).thenComparing(KernelObject::kind))
                .toList();
        // deletions leave the hosts first, additions reach the routers first; within each phase the namespaces are
        // independent and their batches run side by side
        batches(dels.stream().filter(o -> o.kind().onHost()).toList(), true);
        batches(dels.stream().filter(o -> !o.kind().onHost()).toList(), true);
        batches(adds.stream().filter(o -> !o.kind().onHost()).toList(), false);
        batches(adds.stream().filter(o -> o.kind().onHost()).toList(), false);
        if (!dels.isEmpty() || !adds.isEmpty()) {
            LOG.debug("srv6: {} deleted, {} added", dels.size(), adds.size());
        }
        return dels.size() + adds.size();
    }

    private static boolean same(KernelObject a, KernelObject b) {
        return b != null && a.add().equals(b.add());
    }

    /**
     * One {@code ip -batch} per namespace and family, in the objects' order within a namespace; namespaces in parallel
     * on {@link #pool}. Throws the first failure after every batch has ended.
     */
    private void batches(List<KernelObject> objects, boolean delete) {
        Map<String, List<KernelObject>> byNamespace = new LinkedHashMap<>();
        objects.forEach(o -> byNamespace.computeIfAbsent(o.namespace(), n -> new ArrayList<>()).add(o));
        List<CompletableFuture<Void>> runs = byNamespace.values().stream()
                .map(os -> CompletableFuture.runAsync(() -> write(os, delete), pool)).toList();
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Writes objects of one namespace: one batch per run of the same family. */
    private void write(List<KernelObject> objects, boolean delete) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            KernelObject o = objects.get(i);
            lines.add(delete ? o.del() : o.add());
            KernelObject next = i + 1 < objects.size() ? objects.get(i + 1) : null;
            if (next == null || next.family() != o.family()) {
                ip.write(o.namespace(), o.family(), lines);
                lines = new ArrayList<>();
            }
        }
    }

    @Override
    public ProbeResult probe(Attachment from, String address, int count) {
        LabTopology l = lab();
        if (from == null || !l.attachments().contains(from)) {
            throw TianshuException.notFound("from", "attachment", String.valueOf(from));
        }
        IPAddress a = address == null ? null : new IPAddressString(address).getAddress();
        if (a == null || a.isPrefixed()) {
            throw TianshuException.invalid("address", "must be an IPv6 or IPv4 address, got " + address);
        }
        if (count < 1 || count > 100_000) {
            throw TianshuException.invalid("count", "must be 1 to 100000, got " + count);
        }
        // 100 probes a second, each waited for at most a second (no -w: with a deadline, ping sends more than
        // count while replies are missing); ping exits 1 when replies are missing, 2 without a route
        String out = ip.run(List.of("ip", "netns", "exec", l.hostNamespace(from), "ping", a.isIPv6() ? "-6" : "-4",
                "-n", "-c", String.valueOf(count), "-i", "0.01", "-W", "1", a.toCanonicalString()), "", 1, 2);
        return PingOutput.parse(out, count);
    }

    /**
     * A paced TCP transfer between the two hosts' namespaces ({@code rate.py}: a receiver behind {@code to}, a sender
     * behind {@code from}), one at a time: what arrived after the first read, over the time from the first read to the
     * last. The packets travel the plane's segment lists like any other of its traffic.
     */
    @Override
    public OptionalDouble rateMbps(Attachment from, Attachment to, String address, double offeredMbps, Duration duration) {
        LabTopology l = lab();
        if (from == null || !l.attachments().contains(from)) {
            throw TianshuException.notFound("from", "attachment", String.valueOf(from));
        }
        if (to == null || !l.attachments().contains(to)) {
            throw TianshuException.notFound("to", "attachment", String.valueOf(to));
        }
        IPAddress a = address == null ? null : new IPAddressString(address).getAddress();
        if (a == null || a.isPrefixed()) {
            throw TianshuException.invalid("address", "must be an IPv6 or IPv4 address, got " + address);
        }
        if (!(offeredMbps > 0 && offeredMbps <= 10_000)) {
            throw TianshuException.invalid("offeredMbps", "must be above 0 and at most 10000, got " + offeredMbps);
        }
        if (duration == null || duration.toMillis() < 100 || duration.toSeconds() > 10) {
            throw TianshuException.invalid("duration", "must be 0.1 to 10 s, got " + duration);
        }
        String seconds = String.valueOf(duration.toMillis() / 1000.0);
        synchronized (rateLock) {
            // the receiver waits for the sender's connection attempts (3 s) and the transfer
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> ip.run(List.of("ip", "netns", "exec",
                    l.hostNamespace(to), "python3", "-", "recv", String.valueOf(RATE_PORT), String.valueOf(duration.toSeconds() + 5)),
                    RATE_SCRIPT), pool);
            ip.run(List.of("ip", "netns", "exec", l.hostNamespace(from), "python3", "-", "send", a.toCanonicalString(),
                    String.valueOf(RATE_PORT), String.valueOf(offeredMbps), seconds), RATE_SCRIPT);
            String out;
            try {
                out = received.join().strip();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            String[] f = out.split(" ");
            try {
                double bytes = Double.parseDouble(f[0]);
                double secs = Double.parseDouble(f[1]);
                return OptionalDouble.of(secs <= 0 ? 0 : bytes * 8 / secs / 1e6);
            } catch (RuntimeException e) {
                throw IpRoute.upstream("rate probe " + from + " -> " + address + ": unexpected output " + out);
            }
        }
    }

    private static String resource(String name) {
        try (var in = Srv6Dataplane.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("resource " + name + " of the srv6 adapter", e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
