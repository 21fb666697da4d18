package org.tianshu.planes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Migration;
import org.tianshu.api.plane.MigrationPlan;
import org.tianshu.api.plane.NetworkController;
import org.tianshu.api.plane.PathAnswer;
import org.tianshu.api.plane.PathComputationService;
import org.tianshu.api.plane.PathRequest;
import org.tianshu.api.plane.Plane;
import org.tianshu.api.plane.PlaneAdminService;
import org.tianshu.api.plane.PlaneChange;
import org.tianshu.api.plane.PlaneDiff;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.PlaneService;
import org.tianshu.api.plane.PlaneState;
import org.tianshu.api.plane.PlaneStatus;
import org.tianshu.api.plane.Protection;
import org.tianshu.api.plane.Topology;
import org.tianshu.api.tenancy.DepartmentService;

/**
 * Business planes from intent to network. An apply is journalled in the plane's row: PLANNED (target and new
 * prefixes stored, pending), RESERVED (paths admitted, make-before-break, through
 * {@link PathComputationService#replace}), PUSHED (the controller configured it), VERIFIED (read back as planned;
 * the target becomes the intent, its reservations are stored, prefixes it no longer needs are released). A failure
 * at any step compensates: reservations and pending prefixes released, the controller given back what it carried
 * (or the plane removed); after a crash, {@link #start()} does the same from the journal. Path reservations live in
 * the path engine's memory; {@link #start()} restores them from the database in admission order.
 *
 * <p>Every change runs under one lock, so planning sees a stable set of prefixes, tables and reservations.
 */
public class PlaneManager implements PlaneService, PlaneAdminService {
    private static final Logger LOG = LoggerFactory.getLogger(PlaneManager.class);

    private final PlaneStore store;
    private final PathComputationService paths;
    private final NetworkController controller;
    private final DepartmentService departments;
    private final PrefixPlanner prefixes;
    private final Migrations migrations;
    private final int tableMin;
    private final int tableMax;
    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile boolean started;
    private volatile PlaneVerifier verifier;
    private volatile Consumer<Event> events = e -> { };
    private volatile TianshuException notStarted;

    /** Settings: the pools and the range of plane tables. */
    public record Settings(Pools pools, int tableMin, int tableMax) {
    }

    public PlaneManager(javax.sql.DataSource dataSource, PathComputationService paths, NetworkController controller,
            DepartmentService departments, Settings settings) {
        this.store = new PlaneStore(dataSource);
        this.migrations = new Migrations(dataSource);
        this.paths = paths;
        this.controller = controller;
        this.departments = departments;
        this.prefixes = new PrefixPlanner(settings.pools());
        if (settings.tableMin() < 1 || settings.tableMax() > Sids.MAX_TABLE || settings.tableMin() > settings.tableMax()) {
            throw new IllegalArgumentException("tableMin and tableMax: need 1 <= tableMin <= tableMax <= " + Sids.MAX_TABLE);
        }
        this.tableMin = settings.tableMin();
        this.tableMax = settings.tableMax();
    }

    /**
     * Loads the controller's topology, compensates applies a crash interrupted, finishes interrupted deletes and
     * restores every plane's reservations; pushes planes whose network state differs. Tried again by the next call if
     * the controller cannot be reached now.
     */
    public boolean start() {
        lock.lock();
        try {
            if (started) {
                return true;
            }
            adopt(controller.topology());
            for (PlaneStore.Row row : store.rows()) {
                if (row.state() == PlaneState.DELETING) {
                    finishDelete(row.name());
                } else if (row.target() != null) {
                    LOG.warn("plane {}: compensating an apply interrupted at {}", row.name(), row.state());
                    if (row.intent() == null) {
                        controller.remove(row.name());
                    }
                    store.rollback(row.name(), PlaneState.VERIFIED, "an apply interrupted at " + row.state() + " was compensated");
                }
            }
            restore();
            started = true;
            return true;
        } catch (TianshuException e) {
            LOG.warn("planes not started yet ({}); the next call tries again", e.getMessage());
            notStarted = e;
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void ensureStarted() {
        if (!started && !start()) {
            throw new TianshuException(notStarted.kind(), notStarted.field(), "planes are not restored yet: " + notStarted.getMessage(),
                    notStarted);
        }
    }

    // ---------------------------------------------------------------- read side

    @Override
    public List<Plane> list(Caller caller) {
        List<Plane> out = new ArrayList<>();
        for (PlaneStore.Row row : store.rows()) {
            if (visible(row, caller)) {
                out.add(plane(row));
            }
        }
        return out;
    }

    @Override
    public Plane get(String name, Caller caller) {
        return plane(visibleRow(name, caller));
    }

    @Override
    public PlaneStatus status(String name, Caller caller) {
        PlaneStore.Row row = visibleRow(name, caller);
        List<String> drift = row.realisation() == null ? List.of("not realised yet")
                : Drift.between(row.realisation(), actual(name));
        Optional<PlaneVerifier.Verification> v = verifier == null ? Optional.empty() : verifier.last(name);
        return new PlaneStatus(name, row.state(), drift.isEmpty(), drift, row.message(),
                v.map(PlaneVerifier.Verification::compliant).orElse(null), v.map(PlaneVerifier.Verification::checks).orElse(List.of()));
    }

    /**
     * Where plane changes go as events: {@code PLANE_APPLIED}, {@code PLANE_DELETED}, {@code PLANE_DEGRADED}, and
     * {@code PLANE_REROUTED} (subject {@code plane/<name>}, attribute {@code reservations}) when a topology change moved
     * a plane's paths and the new ones were pushed.
     */
    public void publishTo(Consumer<Event> events) {
        this.events = events == null ? e -> { } : events;
    }

    private void publish(EventType type, String plane, PlaneIntent intent, Map<String, String> more) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("plane", plane);
        a.putAll(more);
        String department = intent == null || intent.departments().isEmpty() ? null : intent.departments().get(0);
        try {
            events.accept(Event.now(type, "plane/" + plane, department, null, a));
        } catch (RuntimeException e) {
            LOG.warn("plane {}: event {} not published: {}", plane, type, e.getMessage());
        }
    }

    /** Makes {@code status} report the verifier's last SLO verification of each plane. */
    public void verifyWith(PlaneVerifier verifier) {
        this.verifier = verifier;
    }

    private PlaneStore.Row visibleRow(String name, Caller caller) {
        return store.row(name).filter(r -> visible(r, caller)).orElseThrow(() -> TianshuException.notFound("name", "plane", name));
    }

    private static boolean visible(PlaneStore.Row row, Caller caller) {
        PlaneIntent i = row.intent() != null ? row.intent() : row.target();
        return caller.isOperator() || i.departments().stream().anyMatch(caller::canAccess);
    }

    private Plane plane(PlaneStore.Row row) {
        List<Prefix> held = store.prefixes(row.name());
        return new Plane(row.intent() != null ? row.intent() : row.target(), row.table(), row.state(), block(held, 6), block(held, 4),
                row.realisation(), store.reservations(row.name()), row.message(), row.updatedAt());
    }

    private static String block(List<Prefix> held, int family) {
        return held.stream().filter(p -> p.block() && p.family() == family).map(Prefix::prefix).findFirst().orElse(null);
    }

    private PlaneRealisation actual(String name) {
        return controller.realised().stream().filter(r -> r.plane().equals(name)).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- write side

    @Override
    public PlaneIntent parse(String document) {
        return PlaneDocuments.parse(document);
    }

    @Override
    public PlaneDiff plan(PlaneIntent intent, Caller caller) {
        caller.checkOperator();
        lock.lock();
        try {
            ensureStarted();
            return prepare(intent).diff();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public PlaneDiff apply(PlaneIntent intent, Caller caller) {
        caller.checkOperator();
        lock.lock();
        try {
            ensureStarted();
            Prepared p = prepare(intent);
            if (p.diff().empty() && p.existing() != null && p.existing().state() == PlaneState.VERIFIED) {
                // nothing to change, but the network is given the plane again if it drifted
                PlaneRealisation planned = p.existing().realisation();
                if (!Drift.between(planned, actual(intent.name())).isEmpty()) {
                    controller.apply(planned);
                }
                return p.diff();
            }
            execute(p);
            PlaneStore.Row done = store.row(intent.name()).orElseThrow();
            publish(EventType.PLANE_APPLIED, intent.name(), intent, Map.of("change", p.existing() == null ? "created" : "updated",
                    "state", done.state().name()));
            return p.diff();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Plane changeBandwidth(String name, long mbps, Caller caller) {
        caller.checkOperator();
        lock.lock();
        try {
            ensureStarted();
            PlaneStore.Row row = store.row(name).orElseThrow(() -> TianshuException.notFound("name", "plane", name));
            if (row.intent() == null) {
                throw TianshuException.conflict("name", "plane '" + name + "' is not live yet");
            }
            if (mbps < 0) {
                throw TianshuException.invalid("minBandwidthMbps", "minBandwidthMbps must be zero or more, got " + mbps);
            }
            execute(prepare(row.intent().withBandwidth(mbps)));
            PlaneStore.Row done = store.row(name).orElseThrow();
            publish(EventType.PLANE_APPLIED, name, done.intent(), Map.of("change", "bandwidth " + mbps + " Mbps",
                    "state", done.state().name()));
            return plane(done);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(String name, Caller caller) {
        caller.checkOperator();
        lock.lock();
        try {
            ensureStarted();
            PlaneStore.Row row = store.row(name).orElseThrow(() -> TianshuException.notFound("name", "plane", name));
            store.state(name, PlaneState.DELETING, null);
            finishDelete(name);
            publish(EventType.PLANE_DELETED, name, row.intent() != null ? row.intent() : row.target(), Map.of());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public MigrationPlan parseMigration(String document) {
        return PlaneDocuments.parseMigration(document);
    }

    @Override
    public Migration importNetwork(MigrationPlan plan, Caller caller) {
        caller.checkOperator();
        if (plan == null) {
            throw TianshuException.invalid("plan", "a migration plan is required");
        }
        lock.lock();
        try {
            ensureStarted();
            Migrations.validate(plan, controller.attachments());
            migrations.insert(plan);
            return migration(plan.network(), caller);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Migration cutOver(String network, List<String> sites, Caller caller) {
        caller.checkOperator();
        if (sites == null || sites.isEmpty()) {
            throw TianshuException.invalid("sites", "sites: name at least one site to cut over");
        }
        lock.lock();
        try {
            ensureStarted();
            Migrations.Row row = migrations.row(network).orElseThrow(() -> TianshuException.notFound("network", "private network", network));
            PlaneIntent current = store.row(row.plan().plane().name()).map(PlaneStore.Row::intent).orElse(null);
            execute(prepare(Migrations.withSites(row, current, sites)));
            migrations.cutOver(network, sites);
            return migration(network, caller);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Migration migration(String network, Caller caller) {
        Migrations.Row row = migrations.row(network)
                .filter(r -> caller.isOperator() || r.plan().plane().departments().stream().anyMatch(caller::canAccess))
                .orElseThrow(() -> TianshuException.notFound("network", "private network", network));
        return Migrations.view(row, store.row(row.plan().plane().name()).map(PlaneStore.Row::realisation).orElse(null));
    }

    @Override
    public Topology syncTopology(Caller caller) {
        caller.checkOperator();
        lock.lock();
        try {
            Topology fresh = controller.topology();
            if (!started) {
                ensureStarted();
                return paths.topology();
            }
            try {
                adopt(fresh);
            } finally {
                restore();
            }
            return paths.topology();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes {@code fresh} the path engine's topology, without restoring anything. When only links' admin states
     * changed, a link that went down re-routes the reservations crossing it and the others keep their paths; otherwise
     * the engine takes a new topology only without reservations, so the planes' are released (the caller admits them
     * again with {@link #restore()}).
     */
    private void adopt(Topology fresh) {
        Topology current = paths.topology();
        if (fresh.equals(current)) {
            return;
        }
        if (sameShape(fresh, current)) {
            for (int i = 0; i < fresh.links().size(); i++) {
                Link now = fresh.links().get(i);
                if (now.up() != current.links().get(i).up()) {
                    if (now.up()) {
                        paths.linkUp(now.id());
                    } else {
                        LOG.info("link {} down: {} reservations re-routed", now.id(), paths.linkDown(now.id()).size());
                    }
                }
            }
            return;
        }
        for (PlaneStore.Held h : store.reservations()) {
            if (paths.reservation(h.answer().id()).isPresent()) {
                paths.release(h.answer().id());
            }
        }
        paths.load(fresh);
    }

    /** Same routers and links but for the links' admin states. */
    private static boolean sameShape(Topology a, Topology b) {
        if (!a.routers().equals(b.routers()) || a.links().size() != b.links().size()) {
            return false;
        }
        for (int i = 0; i < a.links().size(); i++) {
            if (!a.links().get(i).withUp(true).equals(b.links().get(i).withUp(true))) {
                return false;
            }
        }
        return true;
    }

    private void finishDelete(String name) {
        controller.remove(name);
        for (PathAnswer a : store.reservations(name)) {
            if (paths.reservation(a.id()).isPresent()) {
                paths.release(a.id());
            }
        }
        store.delete(name);
    }

    /** A validated, admitted (dry run) change and its diff. */
    private record Prepared(PlaneIntent intent, PlaneStore.Row existing, int table, List<Prefix> prefixes, List<String> release,
            List<PathRequest> requests, PlaneDiff diff) {
    }

    private Prepared prepare(PlaneIntent intent) {
        if (intent == null) {
            throw TianshuException.invalid("intent", "a plane intent is required");
        }
        Planner.validate(intent, controller.attachments());
        for (int i = 0; i < intent.departments().size(); i++) {
            try {
                departments.get(intent.departments().get(i));
            } catch (TianshuException e) {
                throw new TianshuException(e.kind(), "departments[" + i + "]", e.getMessage());
            }
        }
        PlaneStore.Row existing = store.row(intent.name()).orElse(null);
        if (existing != null && existing.intent() == null) {
            throw TianshuException.conflict("name", "plane '" + intent.name() + "' is being created");
        }
        List<Prefix> planned = prefixes.plan(intent, store.prefixes());
        int table = existing != null ? existing.table() : store.freeTable(tableMin, tableMax)
                .orElseThrow(() -> TianshuException.conflict("name", "every plane table " + tableMin + "-" + tableMax + " is in use"));
        List<String> release = existing == null ? List.of() : live(store.reservations(intent.name()));
        List<PathRequest> requests = Planner.requests(intent);
        List<PathAnswer> answers = paths.replace(release, requests, true);
        PlaneRealisation realisation = Planner.realise(intent, table, planned, answers, paths.topology());
        List<PlaneChange> changes = existing == null ? Diffs.created(intent, table, planned, answers)
                : Diffs.changed(existing.intent(), store.prefixes(intent.name()), store.reservations(intent.name()), intent, planned, answers);
        return new Prepared(intent, existing, table, planned, release, requests,
                new PlaneDiff(intent.name(), existing != null, changes, realisation));
    }

    private List<String> live(List<PathAnswer> held) {
        return held.stream().map(PathAnswer::id).filter(id -> paths.reservation(id).isPresent()).toList();
    }

    private void execute(Prepared p) {
        String name = p.intent().name();
        store.begin(name, p.table(), p.intent(), p.prefixes(), p.existing() == null);
        List<PathAnswer> before = p.existing() == null ? List.of() : p.release().stream()
                .map(id -> paths.reservation(id).orElseThrow()).toList();
        List<PathAnswer> answers = null;
        try {
            answers = paths.replace(p.release(), p.requests(), false);
            store.state(name, PlaneState.RESERVED, null);
            PlaneRealisation realisation = Planner.realise(p.intent(), p.table(), p.prefixes(), answers, paths.topology());
            controller.apply(realisation);
            store.state(name, PlaneState.PUSHED, null);
            List<String> drift = Drift.between(realisation, actual(name));
            if (!drift.isEmpty()) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, "controller", "verification: controller '"
                        + controller.name() + "' does not carry plane '" + name + "' as pushed: " + drift);
            }
            store.commit(name, p.intent(), realisation, p.prefixes(), answers);
        } catch (RuntimeException e) {
            compensate(p, before, answers, e);
            throw e;
        }
    }

    /** Undoes a failed apply: reservations back, controller back (or plane removed), pending prefixes released. */
    private void compensate(Prepared p, List<PathAnswer> before, List<PathAnswer> answers, RuntimeException cause) {
        String name = p.intent().name();
        String why = "apply failed and was undone: " + cause.getMessage();
        try {
            List<String> made = answers == null ? List.of() : answers.stream().map(PathAnswer::id).toList();
            if (p.existing() == null) {
                for (String id : made) {
                    paths.release(id);
                }
                try {
                    controller.remove(name);
                } catch (RuntimeException e) {
                    LOG.warn("plane {}: removal after a failed apply failed, left for the next start: {}", name, e.getMessage());
                    store.state(name, PlaneState.DELETING, why);
                    return;
                }
                store.rollback(name, PlaneState.VERIFIED, why);
                return;
            }
            List<PathAnswer> restored = answers == null ? before
                    : paths.replace(made, before.stream().map(PathAnswer::request).toList(), false);
            PlaneStore.Row row = store.row(name).orElseThrow();
            PlaneRealisation old = Planner.realise(row.intent(), row.table(), store.prefixes(name), restored, paths.topology());
            PlaneState state = PlaneState.VERIFIED;
            try {
                if (!Drift.between(old, actual(name)).isEmpty()) {
                    controller.apply(old);
                }
            } catch (RuntimeException e) {
                state = PlaneState.DEGRADED;
                why += "; the controller could not be given back the plane's previous configuration: " + e.getMessage();
            }
            PlaneState finalState = state;
            String finalWhy = why;
            store.tx(c -> {
                store.rollback(name, finalState, finalWhy);
                store.realised(name, old, finalState, finalWhy);
                store.replaceReservations(name, restored);
                return null;
            });
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.error("plane {}: compensation failed", name, e);
        }
    }

    /**
     * Reserves every stored path request again in admission order (keeping reservations the engine still holds), then
     * realises each plane with the paths it got and pushes it where the network differs. A plane with a request that no
     * longer fits becomes DEGRADED, realised with the pairs that do.
     */
    private void restore() {
        Map<String, List<PathAnswer>> got = new LinkedHashMap<>();
        Map<String, List<PathAnswer>> kept = new LinkedHashMap<>();
        Map<String, List<PathAnswer>> before = new HashMap<>();
        Map<String, List<String>> refused = new HashMap<>();
        Map<String, List<String>> unprotected = new HashMap<>();
        for (PlaneStore.Held h : store.reservations()) {
            before.computeIfAbsent(h.plane(), k -> new ArrayList<>()).add(h.answer());
            List<PathAnswer> mine = got.computeIfAbsent(h.plane(), k -> new ArrayList<>());
            List<PathAnswer> stored = kept.computeIfAbsent(h.plane(), k -> new ArrayList<>());
            Optional<PathAnswer> live = paths.reservation(h.answer().id());
            PathRequest asked = h.answer().request();
            if (live.isPresent() && !live.get().request().equals(asked)) {
                // an unprotected stand-in of a 1+1 pair: try the protected pair again
                paths.release(asked.id());
                live = Optional.empty();
            }
            try {
                // the stored paths as they are while they fit, so a restart moves no traffic
                PathAnswer a = live.isPresent() ? live.get() : paths.reserve(h.answer());
                mine.add(a);
                stored.add(a);
            } catch (TianshuException e) {
                if (asked.protection() != Protection.NONE) {
                    // no second disjoint path (e.g. one of an access router's two uplinks is down): the pair keeps
                    // one path rather than losing its traffic, and the plane is degraded until 1+1 fits again
                    try {
                        mine.add(paths.reserve(new PathRequest(asked.id(), asked.from(), asked.to(), asked.bandwidthMbps(),
                                asked.maxLatencyMicros(), Protection.NONE)));
                        stored.add(h.answer());
                        unprotected.computeIfAbsent(h.plane(), k -> new ArrayList<>()).add(asked.id() + ": " + e.getMessage());
                        continue;
                    } catch (TianshuException single) {
                        LOG.debug("{}: no single path either: {}", asked.id(), single.getMessage());
                    }
                }
                // the request stays stored, so a later topology sync admits it again
                stored.add(h.answer());
                refused.computeIfAbsent(h.plane(), k -> new ArrayList<>()).add(h.answer().id() + ": " + e.getMessage());
            }
        }
        Map<String, PlaneRealisation> network = new HashMap<>();
        for (PlaneRealisation r : controller.realised()) {
            network.put(r.plane(), r);
        }
        Topology topology = paths.topology();
        Map<String, List<Prefix>> prefixesOf = new HashMap<>();
        for (Prefix p : store.heldPrefixes()) {
            prefixesOf.computeIfAbsent(p.plane(), k -> new ArrayList<>()).add(p);
        }
        // realise every plane first, then push those the network lacks together (after a link failure: all the planes
        // re-routed around it, in one write where the controller can)
        record Outcome(PlaneStore.Row row, PlaneRealisation realisation, boolean drift) {
        }
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, String> pushFailed = new HashMap<>();
        for (PlaneStore.Row row : store.rows()) {
            if (row.intent() == null || row.target() != null || row.state() == PlaneState.DELETING) {
                continue;
            }
            List<PathAnswer> answers = got.getOrDefault(row.name(), List.of());
            PlaneRealisation r = Planner.realise(row.intent(), row.table(), prefixesOf.getOrDefault(row.name(), List.of()), answers,
                    topology);
            outcomes.add(new Outcome(row, r, !Drift.between(r, network.get(row.name())).isEmpty()));
        }
        List<PlaneRealisation> toPush = outcomes.stream().filter(Outcome::drift).map(Outcome::realisation).toList();
        try {
            if (!toPush.isEmpty()) {
                controller.applyAll(toPush);
            }
        } catch (RuntimeException batch) {
            // one by one, to learn which plane the controller refuses
            for (PlaneRealisation r : toPush) {
                try {
                    controller.apply(r);
                } catch (RuntimeException e) {
                    pushFailed.put(r.plane(), e.getMessage());
                }
            }
        }
        for (Outcome o : outcomes) {
            PlaneStore.Row row = o.row();
            PlaneRealisation r = o.realisation();
            PlaneState state = PlaneState.VERIFIED;
            String message = null;
            if (refused.containsKey(row.name())) {
                state = PlaneState.DEGRADED;
                message = "paths refused on the current topology: " + String.join("; ", refused.get(row.name()));
            }
            if (unprotected.containsKey(row.name())) {
                state = PlaneState.DEGRADED;
                message = (message == null ? "" : message + "; ") + "unprotected (one path, no disjoint second one): "
                        + String.join("; ", unprotected.get(row.name()));
            }
            boolean pushed = o.drift() && !pushFailed.containsKey(row.name());
            if (pushFailed.containsKey(row.name())) {
                state = PlaneState.DEGRADED;
                message = (message == null ? "" : message + "; ") + "push failed: " + pushFailed.get(row.name());
            }
            List<String> moved = got.getOrDefault(row.name(), List.of()).stream()
                    .filter(a -> !before.getOrDefault(row.name(), List.of()).contains(a)).map(PathAnswer::id).toList();
            if (pushed && !moved.isEmpty()) {
                publish(EventType.PLANE_REROUTED, row.name(), row.intent(), Map.of("reservations", String.join(",", moved)));
            }
            if (state == PlaneState.DEGRADED && (row.state() != PlaneState.DEGRADED || !Objects.equals(message, row.message()))) {
                publish(EventType.PLANE_DEGRADED, row.name(), row.intent(), Map.of("reason", message));
            }
            if (!Objects.equals(r, row.realisation()) || state != row.state() || !Objects.equals(message, row.message())) {
                store.realised(row.name(), r, state, message);
            }
            List<PathAnswer> stored = kept.getOrDefault(row.name(), List.of());
            if (!stored.equals(before.getOrDefault(row.name(), List.of()))) {
                store.replaceReservations(row.name(), stored);
            }
        }
    }
}
