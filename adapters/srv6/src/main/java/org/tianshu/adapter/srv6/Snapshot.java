package org.tianshu.adapter.srv6;

import com.fasterxml.jackson.databind.JsonNode;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.stream.StreamSupport;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Path;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.api.plane.SrPolicy;

/**
 * What the kernel holds, read in one go: every router's links, addresses, rules and routes, and the hosts behind the
 * ports asked for. It tells which plane owns what (the port's alias names plane and site, the port's rule names the
 * plane's table) and turns that back into kernel objects and plane realisations.
 */
final class Snapshot {
    private static final List<String> ROUTER6 = List.of("link show", "address show", "rule show", "route show table all");
    private static final List<String> ROUTER4 = List.of("address show", "rule show", "route show table all");
    private static final List<String> HOST = List.of("address show dev eth0", "route show");

    /** The owner of a port, from its alias. */
    record Binding(Attachment attachment, String plane, String site) {
    }

    private record Dump(JsonNode links, JsonNode addresses6, JsonNode rules6, JsonNode routes6, JsonNode addresses4,
            JsonNode rules4, JsonNode routes4) {
    }

    private final LabTopology lab;
    private final Map<String, Dump> routers;
    private final Map<Attachment, Dump> hosts = new LinkedHashMap<>();
    private final Map<Attachment, Binding> bindings = new TreeMap<>(Comparator.comparing(Attachment::toString));
    /** Indexes over the routers' dumps, built on first use: with hundreds of planes, scanning per plane is quadratic. */
    private Map<Long, String> tableOwners;
    private final Map<String, RouteIndex> routeIndex = new HashMap<>();

    /** A router's rules and routes by what {@link #objects} and the renderer look them up by. */
    private record RouteIndex(Map<String, Long> tableOfPort, Set<String> sids, List<Map<Long, List<JsonNode>>> byTable,
            List<Map<String, List<JsonNode>>> mainByDev) {
    }

    private Snapshot(LabTopology lab, Map<String, Dump> routers) {
        this.lab = lab;
        this.routers = routers;
        routers.forEach((router, d) -> each(d.links).forEach(l -> {
            String alias = l.path("ifalias").asText("");
            int slash = alias.indexOf('/');
            if (alias.startsWith(KernelObject.ALIAS_PREFIX) && slash > 0) {
                Attachment a = new Attachment(router, l.path("ifname").asText());
                bindings.put(a, new Binding(a, alias.substring(KernelObject.ALIAS_PREFIX.length(), slash),
                        alias.substring(slash + 1)));
            }
        }));
    }

    /** Reads every router, then the hosts behind the given ports, in parallel on {@code pool}. */
    static Snapshot read(LabTopology lab, IpRoute ip, ExecutorService pool) {
        Map<String, CompletableFuture<Dump>> f = new LinkedHashMap<>();
        for (var r : lab.topology().routers()) {
            String ns = lab.routerNamespace(r.id());
            f.put(r.id(), CompletableFuture.supplyAsync(() -> {
                List<JsonNode> six = ip.read(ns, 6, ROUTER6);
                List<JsonNode> four = ip.read(ns, 4, ROUTER4);
                return new Dump(six.get(0), six.get(1), six.get(2), six.get(3), four.get(0), four.get(1), four.get(2));
            }, pool));
        }
        Map<String, Dump> routers = new LinkedHashMap<>();
        f.forEach((r, d) -> routers.put(r, join(d)));
        return new Snapshot(lab, routers);
    }

    /** Adds the hosts behind these ports to the snapshot. */
    Snapshot withHosts(Collection<Attachment> ports, IpRoute ip, ExecutorService pool) {
        Map<Attachment, CompletableFuture<Dump>> f = new LinkedHashMap<>();
        for (Attachment a : ports) {
            if (!hosts.containsKey(a)) {
                String ns = lab.hostNamespace(a);
                f.put(a, CompletableFuture.supplyAsync(() -> {
                    List<JsonNode> six = ip.read(ns, 6, HOST);
                    List<JsonNode> four = ip.read(ns, 4, HOST);
                    return new Dump(null, six.get(0), null, six.get(1), four.get(0), null, four.get(1));
                }, pool));
            }
        }
        f.forEach((a, d) -> hosts.put(a, join(d)));
        return this;
    }

    private static Dump join(CompletableFuture<Dump> d) {
        try {
            return d.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Every bound port. */
    Collection<Binding> bindings() {
        return bindings.values();
    }

    Optional<Binding> binding(Attachment a) {
        return Optional.ofNullable(bindings.get(a));
    }

    /** True when both ends of the link are up; false for an unknown link. */
    boolean linkUp(String linkId) {
        return lab.topology().links().stream().filter(l -> l.id().equals(linkId)).findFirst()
                .map(l -> up(l.a(), l.b()) && up(l.b(), l.a())).orElse(false);
    }

    private boolean up(String router, String peer) {
        Dump d = routers.get(router);
        return d != null && each(d.links).anyMatch(l -> l.path("ifname").asText().equals(peer)
                && "UP".equals(l.path("operstate").asText()));
    }

    /** The tables the rules of a plane's ports point to, on every router. */
    Map<Long, String> tableOwners() {
        if (tableOwners == null) {
            Map<Long, String> owners = new TreeMap<>();
            for (Binding b : bindings.values()) {
                table(b.attachment()).ifPresent(t -> owners.putIfAbsent(t, b.plane()));
            }
            tableOwners = owners;
        }
        return tableOwners;
    }

    /** The table a port's IPv6 rule points to. */
    Optional<Long> table(Attachment a) {
        return Optional.ofNullable(index(a.router()).tableOfPort().get(a.port()));
    }

    /** Whether a router's main table routes this SID (owned by anyone: End, a plane's decapsulation, another). */
    boolean sidInstalled(String router, String sid) {
        return index(router).sids().contains(KernelObject.prefix(sid));
    }

    private RouteIndex index(String router) {
        return routeIndex.computeIfAbsent(router, r -> {
            Dump d = routers.get(r);
            Map<String, Long> tableOfPort = new HashMap<>();
            each(d.rules6).filter(x -> x.path("priority").asInt() == KernelObject.RULE_PRIORITY && x.has("iif"))
                    .forEach(x -> tableOfPort.putIfAbsent(x.path("iif").asText(), x.path("table").asLong()));
            Set<String> sids = new HashSet<>();
            List<Map<Long, List<JsonNode>>> byTable = new ArrayList<>();
            List<Map<String, List<JsonNode>>> mainByDev = new ArrayList<>();
            for (JsonNode routes : List.of(d.routes6, d.routes4)) {
                Map<Long, List<JsonNode>> tables = new HashMap<>();
                Map<String, List<JsonNode>> devs = new HashMap<>();
                each(routes).forEach(x -> {
                    boolean seg6local = "seg6local".equals(x.path("encap").asText());
                    if (seg6local) {
                        sids.add(KernelObject.prefix(x.path("dst").asText()));
                    }
                    if (!x.has("table") || seg6local) {
                        devs.computeIfAbsent(x.path("dev").asText(), k -> new ArrayList<>()).add(x);
                    } else {
                        tables.computeIfAbsent(x.path("table").asLong(), k -> new ArrayList<>()).add(x);
                    }
                });
                byTable.add(tables);
                mainByDev.add(devs);
            }
            return new RouteIndex(tableOfPort, sids, byTable, mainByDev);
        });
    }

    /** Everything the kernel holds for a plane, as kernel objects. */
    List<KernelObject> objects(String plane) {
        List<KernelObject> out = new ArrayList<>();
        Map<String, List<Binding>> byRouter = byRouter(plane);
        byRouter.forEach((router, ports) -> {
            String ns = lab.routerNamespace(router);
            Dump d = routers.get(router);
            List<String> names = ports.stream().map(b -> b.attachment().port()).toList();
            Set<Long> tables = new java.util.LinkedHashSet<>(); // a table once, however many rules point to it
            for (Binding b : ports) {
                String port = b.attachment().port();
                out.add(KernelObject.alias(ns, port, b.plane(), b.site()));
                for (int family : new int[] {6, 4}) {
                    each(family == 6 ? d.rules6 : d.rules4)
                            .filter(r -> port.equals(r.path("iif").asText()) && r.path("priority").asInt() == KernelObject.RULE_PRIORITY)
                            .forEach(r -> {
                                out.add(KernelObject.rule(ns, family, port, r.path("table").asLong()));
                                tables.add(r.path("table").asLong());
                            });
                    globalAddresses(family == 6 ? d.addresses6 : d.addresses4, port)
                            .forEach(a -> out.add(KernelObject.address(ns, family, port, a)));
                }
            }
            RouteIndex index = index(router);
            for (int family : new int[] {6, 4}) {
                int f = family == 6 ? 0 : 1;
                for (Long table : tables) {
                    index.byTable().get(f).getOrDefault(table, List.of()).forEach(r -> out.add(tableRoute(ns, family, r)));
                }
                for (String dev : names) {
                    for (JsonNode r : index.mainByDev().get(f).getOrDefault(dev, List.of())) {
                        String dst = KernelObject.address(r.path("dst").asText());
                        switch (r.path("action").asText()) {
                            case "End.DT6" -> out.add(KernelObject.dt6(ns, dst, r.path("table").asLong(), dev));
                            case "End.DX4" -> out.add(KernelObject.dx4(ns, dst, r.path("nh4").asText(), dev));
                            default -> {
                                if (family == 4 && !r.has("gateway")) {
                                    out.add(KernelObject.hostRoute(ns, dst, dev));
                                }
                            }
                        }
                    }
                }
            }
        });
        for (List<Binding> ports : byRouter.values()) {
            for (Binding b : ports) {
                Dump h = hosts.get(b.attachment());
                if (h == null) {
                    continue;
                }
                String ns = lab.hostNamespace(b.attachment());
                for (int family : new int[] {6, 4}) {
                    globalAddresses(family == 6 ? h.addresses6 : h.addresses4, "eth0")
                            .forEach(a -> out.add(KernelObject.hostAddress(ns, family, a)));
                    each(family == 6 ? h.routes6 : h.routes4)
                            .filter(r -> "default".equals(r.path("dst").asText()) && r.has("gateway"))
                            .forEach(r -> out.add(KernelObject.hostDefault(ns, family, r.path("gateway").asText())));
                }
            }
        }
        return out;
    }

    private static KernelObject tableRoute(String ns, int family, JsonNode r) {
        long table = r.path("table").asLong();
        if ("unreachable".equals(r.path("type").asText())) {
            return KernelObject.unreachable(ns, family, table);
        }
        String dst = KernelObject.prefix(r.path("dst").asText());
        if ("seg6".equals(r.path("encap").asText())) {
            List<String> segs = each(r.path("segs")).map(s -> KernelObject.address(s.asText())).toList();
            return KernelObject.encap(ns, family, dst, segs, r.path("dev").asText(), table, r.path("metric").asInt());
        }
        return KernelObject.connected(ns, family, dst, r.path("dev").asText(), table);
    }

    /** The planes as the kernel holds them, sorted by name; sites by name; policies by from, to, then primary first. */
    List<PlaneRealisation> realisations() {
        Map<String, List<SiteBinding>> sites = new TreeMap<>();
        Map<String, Long> tables = new TreeMap<>();
        for (Binding b : bindings.values()) {
            Dump d = routers.get(b.attachment().router());
            String port = b.attachment().port();
            String v6 = globalAddresses(d.addresses6, port).stream().findFirst().map(Snapshot::network).orElse(null);
            String v4 = globalAddresses(d.addresses4, port).stream().findFirst().map(Snapshot::network).orElse(null);
            String decap = each(d.routes6).filter(r -> "End.DT6".equals(r.path("action").asText()) && port.equals(r.path("dev").asText()))
                    .map(r -> KernelObject.address(r.path("dst").asText())).findFirst().orElse(null);
            sites.computeIfAbsent(b.plane(), p -> new ArrayList<>()).add(new SiteBinding(b.site(), b.attachment(), v6, v4, decap));
            table(b.attachment()).ifPresent(t -> tables.putIfAbsent(b.plane(), t));
        }
        List<PlaneRealisation> out = new ArrayList<>();
        sites.forEach((plane, list) -> {
            list.sort(Comparator.comparing(SiteBinding::site));
            long table = tables.getOrDefault(plane, -1L);
            List<SrPolicy> policies = new ArrayList<>();
            for (String router : list.stream().map(s -> s.attachment().router()).distinct().toList()) {
                List<SiteBinding> here = list.stream().filter(s -> s.attachment().router().equals(router)).toList();
                each(routers.get(router).routes6).filter(r -> "seg6".equals(r.path("encap").asText())
                        && r.path("table").asLong() == table).forEach(r -> {
                            String dst = KernelObject.prefix(r.path("dst").asText());
                            String to = list.stream().filter(s -> dst.equals(s.ipv6Prefix())).map(SiteBinding::site)
                                    .findFirst().orElse(dst);
                            List<String> segs = each(r.path("segs")).map(s -> KernelObject.address(s.asText())).toList();
                            Path path = walk(router, segs);
                            boolean backup = r.path("metric").asInt() == KernelObject.METRIC_BACKUP;
                            here.forEach(from -> policies.add(new SrPolicy(from.site(), to, segs, path, backup)));
                        });
            }
            policies.sort(Comparator.comparing(SrPolicy::from).thenComparing(SrPolicy::to).thenComparing(SrPolicy::backup));
            out.add(new PlaneRealisation(plane, (int) table, list, policies));
        });
        return out;
    }

    /**
     * The routers and links a segment list takes from its head end: to each segment's router over the direct link
     * when there is one, else hop by hop along the underlay routes of the main tables.
     */
    Path walk(String head, List<String> segments) {
        List<String> path = new ArrayList<>(List.of(head));
        List<String> links = new ArrayList<>();
        long latency = 0;
        String at = head;
        for (String s : segments) {
            String owner = lab.owner(new IPAddressString(s).getAddress()).orElse(null);
            for (int hops = 0; owner != null && !at.equals(owner) && hops < 64; hops++) {
                String next = lab.link(at, owner).isPresent() ? owner : nextHop(at, owner);
                Link l = next == null ? null : lab.link(at, next).orElse(null);
                if (l == null) {
                    return new Path(path, links, latency);
                }
                path.add(next);
                links.add(l.id());
                latency += l.latencyMicros();
                at = next;
            }
        }
        return new Path(path, links, latency);
    }

    private String nextHop(String router, String towards) {
        String locator = lab.locators().get(towards).toCanonicalString();
        return each(routers.get(router).routes6)
                .filter(r -> !r.has("table") && r.has("dst") && !"default".equals(r.path("dst").asText())
                        && KernelObject.prefix(r.path("dst").asText()).equals(locator))
                .map(r -> r.path("dev").asText()).filter(lab::isRouter).findFirst().orElse(null);
    }

    private Map<String, List<Binding>> byRouter(String plane) {
        Map<String, List<Binding>> out = new TreeMap<>();
        bindings.values().stream().filter(b -> b.plane().equals(plane))
                .forEach(b -> out.computeIfAbsent(b.attachment().router(), r -> new ArrayList<>()).add(b));
        return out;
    }

    /** Global addresses (with length) of an interface in an {@code address show} dump. */
    private static List<String> globalAddresses(JsonNode dump, String dev) {
        return each(dump).filter(i -> dev.equals(i.path("ifname").asText()))
                .flatMap(i -> each(i.path("addr_info")))
                .filter(a -> "global".equals(a.path("scope").asText()))
                .map(a -> KernelObject.prefix(a.path("local").asText() + "/" + a.path("prefixlen").asInt())).toList();
    }

    private static String network(String addressWithLength) {
        return new IPAddressString(addressWithLength).getAddress().toPrefixBlock().toCanonicalString();
    }

    private static java.util.stream.Stream<JsonNode> each(JsonNode array) {
        return array == null ? java.util.stream.Stream.empty() : StreamSupport.stream(array.spliterator(), false);
    }
}
