package org.tianshu.api.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.NetworkController;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;
import org.tianshu.api.plane.Topology;

/**
 * A small test adapter for unit tests of the plane planner (published in the API's test jar): a network that stores
 * what is applied and reads it back, following the {@link NetworkController} contract. It refuses realisations that
 * break the contract (unknown attachment, a policy between unknown sites, a segment list that does not end in the
 * tail's decap SID, a table used by another plane). Tests make it unreachable or fail the next applies.
 */
public class InMemoryNetworkController implements NetworkController {
    private final String name;
    private volatile Topology topology;
    private final List<Attachment> attachments;
    private final Map<String, PlaneRealisation> planes = new ConcurrentHashMap<>();
    private final AtomicInteger failNextApplies = new AtomicInteger();
    private final AtomicInteger applies = new AtomicInteger();
    private volatile boolean reachable = true;

    public InMemoryNetworkController(String name, Topology topology, List<Attachment> attachments) {
        this.name = name;
        this.topology = topology;
        this.attachments = List.copyOf(attachments);
    }

    /** Replaces the topology the controller reports. */
    public void topology(Topology t) {
        topology = t;
    }

    /** Makes every call fail with UPSTREAM (or succeed again). */
    public void reachable(boolean r) {
        reachable = r;
    }

    /** The next {@code n} applies fail with UPSTREAM without changing anything. */
    public void failNextApplies(int n) {
        failNextApplies.set(n);
    }

    /** Applies that succeeded so far. */
    public int applies() {
        return applies.get();
    }

    /** What the network carries for {@code plane}, or null. */
    public PlaneRealisation plane(String plane) {
        return planes.get(plane);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Topology topology() {
        check();
        return topology;
    }

    @Override
    public List<Attachment> attachments() {
        check();
        return attachments;
    }

    @Override
    public synchronized void apply(PlaneRealisation plane) {
        check();
        if (failNextApplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "controller", name + ": apply of " + plane.plane() + " failed");
        }
        Map<String, SiteBinding> sites = new HashMap<>();
        for (SiteBinding s : plane.sites()) {
            if (!attachments.contains(s.attachment())) {
                throw TianshuException.invalid("attachment", "unknown attachment " + s.attachment());
            }
            sites.put(s.site(), s);
        }
        Set<String> seen = new HashSet<>();
        for (SrPolicy p : plane.policies()) {
            SiteBinding to = sites.get(p.to());
            if (!sites.containsKey(p.from()) || to == null) {
                throw TianshuException.invalid("policies", "policy between unknown sites " + p.from() + " -> " + p.to());
            }
            if (p.segments().isEmpty() || !p.segments().get(p.segments().size() - 1).equals(to.decapSid())) {
                throw TianshuException.invalid("segments", "segment list " + p.segments() + " must end in " + to.decapSid());
            }
            if (!seen.add(p.from() + ">" + p.to() + (p.backup() ? "/backup" : ""))) {
                throw TianshuException.invalid("policies", "two policies " + p.from() + " -> " + p.to());
            }
        }
        for (PlaneRealisation other : planes.values()) {
            if (other.table() == plane.table() && !other.plane().equals(plane.plane())) {
                throw TianshuException.conflict("table", "table " + plane.table() + " is used by " + other.plane());
            }
        }
        planes.put(plane.plane(), plane);
        applies.incrementAndGet();
    }

    @Override
    public void remove(String plane) {
        check();
        planes.remove(plane);
    }

    @Override
    public List<PlaneRealisation> realised() {
        check();
        return new ArrayList<>(planes.values());
    }

    private void check() {
        if (!reachable) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "controller", name + " cannot be reached");
        }
    }
}
