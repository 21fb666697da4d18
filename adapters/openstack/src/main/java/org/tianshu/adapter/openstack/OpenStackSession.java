package org.tianshu.adapter.openstack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.compute.ext.Hypervisor;
import org.openstack4j.model.identity.v3.Project;
import org.openstack4j.model.identity.v3.Role;
import org.openstack4j.model.network.Network;
import org.openstack4j.model.placement.ext.ResourceProvider;
import org.openstack4j.model.placement.ext.ResourceProviderInventories;
import org.openstack4j.model.placement.ext.ResourceProviderUsages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.CatalogItem;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.CloudSnapshot;
import org.tianshu.api.cloud.Flavor;
import org.tianshu.api.cloud.Host;
import org.tianshu.api.cloud.Workload;
import org.tianshu.api.cloud.WorkloadKind;
import org.tianshu.api.cloud.WorkloadSpec;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.NetworkMapping;
import org.tianshu.api.dr.ReplicatingSession;
import org.tianshu.api.dr.WorkloadCopy;
import org.tianshu.api.tenancy.QuotaResource;

/**
 * A session to one OpenStack cloud through OpenStack4j. Departments are Keystone projects of the
 * same name; servers carry the Tianshu request id in their metadata.
 */
final class OpenStackSession implements ReplicatingSession {
    private static final Logger LOG = LoggerFactory.getLogger(OpenStackSession.class);
    private static final Map<String, String> ALL_TENANTS = Map.of("all_tenants", "1");
    private static final String PAGE = "500";
    /** The Keystone role Nova's default policy asks of whoever forces a server onto a host. */
    static final String PIN_ROLE = "admin";
    /** The start of Nova's fault when its scheduler (or Placement) finds no compute host for a server. */
    static final String NO_VALID_HOST = "No valid host";

    private final Cloud cloud;
    private final OpenStackOptions options;
    private final Keystone keystone;
    private final Replication replication;

    OpenStackSession(Cloud cloud, OpenStackOptions options, Keystone keystone) {
        this.cloud = cloud;
        this.options = options;
        this.keystone = keystone;
        this.replication = new Replication(cloud, keystone);
    }

    @Override
    public CloudSnapshot discover() {
        return call("discover", () -> {
            OSClientV3 os = keystone.client();
            List<Flavor> flavors = flavors(os);
            Map<String, Flavor> flavorById = new HashMap<>();
            flavors.forEach(f -> flavorById.put(f.id(), f));
            Map<String, String> projectNames = new HashMap<>();
            os.identity().projects().list().forEach(p -> projectNames.put(p.getId(), p.getName()));

            List<Workload> workloads = new ArrayList<>();
            for (Server s : servers(os)) {
                WorkloadState state = OpenStackMapping.state(s.getStatus() == null ? null : s.getStatus().value());
                if (state == WorkloadState.GONE) {
                    continue;
                }
                Flavor f = flavorById.computeIfAbsent(s.getFlavorId(), id -> flavorById(os, id));
                workloads.add(new Workload(cloud.id(), s.getId(), s.getName(), WorkloadKind.VM,
                        OpenStackMapping.department(projectNames.get(s.getTenantId()), options.ignoredProjects()),
                        s.getHypervisorHostname(), state,
                        f == null ? Resources.ZERO : OpenStackMapping.flavor(f.vcpus(), f.ramMiB(), f.diskGiB()),
                        s.getMetadata() == null ? null : s.getMetadata().get(OpenStackMapping.REQUEST_METADATA)));
            }
            workloads.sort(Comparator.comparing(Workload::externalId));

            List<CatalogItem> images = paged(q -> os.imagesV2().list(q), i -> i.getId(), Map.of()).stream()
                    .map(i -> new CatalogItem(i.getId(), i.getName()))
                    .sorted(Comparator.comparing(CatalogItem::name, Comparator.nullsLast(String::compareTo))).toList();
            List<CatalogItem> networks = os.networking().network().list().stream()
                    .map(n -> new CatalogItem(n.getId(), n.getName()))
                    .sorted(Comparator.comparing(CatalogItem::name, Comparator.nullsLast(String::compareTo))).toList();
            return new CloudSnapshot(hosts(os), workloads, flavors, images, networks, Instant.now());
        });
    }

    @Override
    public Resources demand(WorkloadSpec spec) {
        return call("check the workload spec", () -> {
            Flavor f = resolve(keystone.client(), spec).flavor();
            return OpenStackMapping.flavor(f.vcpus(), f.ramMiB(), f.diskGiB());
        });
    }

    @Override
    public String create(WorkloadSpec spec, String requestId) {
        return create(spec, requestId, Set.of());
    }

    /**
     * Boots the server; on {@code hosts} (one compute host) it is forced there the way Nova documents for
     * administrators, availability zone {@code ":host"}, which Nova's policy allows to the admin role only: the
     * session's user then also takes role {@code admin} on the department's project.
     */
    @Override
    public String create(WorkloadSpec spec, String requestId, Set<String> hosts) {
        Validation.required("requestId", requestId);
        Validation.id("departmentId", spec.departmentId());
        Validation.required("name", spec.name());
        if (hosts != null && hosts.size() > 1) {
            throw TianshuException.invalid("hosts", "a VM runs on one compute host, not on " + new java.util.TreeSet<>(hosts));
        }
        String host = hosts == null || hosts.isEmpty() ? null : hosts.iterator().next();
        if (host != null && (host.isBlank() || host.contains(":"))) {
            throw TianshuException.invalid("hosts", "'" + host + "' is not a compute host name");
        }
        return call("create server " + spec.name() + (host == null ? "" : " on " + host), () -> {
            Resolved r = resolve(keystone.client(), spec);
            String projectId = ensureProject(spec.departmentId());
            if (host != null) {
                grant(projectId, spec.departmentId(), PIN_ROLE);
            }
            OSClientV3 os = host == null ? keystone.client(projectId) : keystone.client(projectId, PIN_ROLE);
            var builder = Builders.server().name(spec.name())
                    .flavor(r.flavor().id()).image(r.imageId()).networks(List.of(r.networkId()))
                    .addMetadataItem(OpenStackMapping.REQUEST_METADATA, requestId);
            if (host != null) {
                builder.availabilityZone(":" + host);
            }
            Server server;
            try {
                server = os.compute().servers().boot(builder.build());
            } catch (ResponseException e) {
                if (e.getStatus() == 403 && e.getMessage() != null && e.getMessage().toLowerCase().contains("quota exceeded")) {
                    throw new TianshuException(TianshuException.Kind.CONFLICT, CloudSession.CAPACITY, "cloud " + cloud.id()
                            + ": Nova refused server " + spec.name() + " in project " + spec.departmentId() + ": " + e.getMessage(), e);
                }
                throw e;
            }
            if (server == null || server.getId() == null) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, null,
                        "cloud " + cloud.id() + ": Nova returned no server for " + spec.name());
            }
            LOG.info("cloud {}: server {} ({}) booting in project {}{} for request {}", cloud.id(), server.getId(),
                    spec.name(), spec.departmentId(), host == null ? "" : " on " + host, requestId);
            return server.getId();
        });
    }

    @Override
    public WorkloadState state(String externalId) {
        Validation.required("externalId", externalId);
        return call("read server " + externalId, () -> {
            Server s = keystone.client().compute().servers().get(externalId);
            return OpenStackMapping.state(s == null || s.getStatus() == null ? null : s.getStatus().value());
        });
    }

    /** Nova's fault of a server in ERROR when it is "No valid host was found": no compute host could take it. */
    @Override
    public Optional<String> capacityFault(String externalId) {
        Validation.required("externalId", externalId);
        return call("read server " + externalId, () -> {
            Server s = keystone.client().compute().servers().get(externalId);
            boolean error = s != null && OpenStackMapping.state(s.getStatus() == null ? null : s.getStatus().value())
                    == WorkloadState.ERROR;
            String fault = error && s.getFault() != null ? s.getFault().getMessage() : null;
            return fault != null && fault.contains(NO_VALID_HOST)
                    ? Optional.of("cloud " + cloud.id() + ": Nova: " + fault) : Optional.<String>empty();
        });
    }

    @Override
    public Optional<String> findByRequest(String requestId) {
        Validation.required("requestId", requestId);
        return call("find the server of request " + requestId, () -> servers(keystone.client()).stream()
                .filter(s -> s.getMetadata() != null
                        && requestId.equals(s.getMetadata().get(OpenStackMapping.REQUEST_METADATA)))
                .filter(s -> OpenStackMapping.state(s.getStatus() == null ? null : s.getStatus().value())
                        != WorkloadState.GONE)
                .map(Server::getId).findFirst());
    }

    @Override
    public void delete(String externalId) {
        Validation.required("externalId", externalId);
        call("delete server " + externalId, () -> {
            ActionResponse r = keystone.client().compute().servers().delete(externalId);
            if (!r.isSuccess() && r.getCode() != 404) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, null, "cloud " + cloud.id()
                        + ": Nova refused to delete server " + externalId + " (HTTP " + r.getCode() + "): "
                        + r.getFault());
            }
            return null;
        });
    }

    /**
     * Live-migrates the server to hypervisor {@code targetHost} (Nova's {@code os-migrateLive}, block migration
     * off: shared storage or volume-backed servers). Asking again while it migrates, or once it is there, does
     * nothing.
     */
    @Override
    public void move(String externalId, String targetHost) {
        Validation.required("externalId", externalId);
        Validation.required("targetHost", targetHost);
        call("live-migrate server " + externalId + " to " + targetHost, () -> {
            Server s = keystone.client().compute().servers().get(externalId);
            if (s == null) {
                throw TianshuException.notFound("externalId", "server", externalId);
            }
            if (targetHost.equals(s.getHypervisorHostname()) || s.getTaskState() != null) {
                return null;
            }
            ActionResponse r;
            try {
                r = keystone.client().compute().servers().liveMigrate(externalId,
                        org.openstack4j.model.compute.actions.LiveMigrateOptions.create().host(targetHost).blockMigration(false));
            } catch (ConnectionException e) {
                if (underWay(externalId, targetHost)) {
                    return null;
                }
                throw e;
            }
            if (!r.isSuccess() && !(r.getCode() >= 500 && underWay(externalId, targetHost))) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, null, "cloud " + cloud.id()
                        + ": Nova refused to live-migrate server " + externalId + " to " + targetHost + " (HTTP " + r.getCode()
                        + "): " + r.getFault());
            }
            LOG.info("cloud {}: server {} live-migrating to {}", cloud.id(), externalId, targetHost);
            return null;
        });
    }

    /**
     * True if server {@code externalId} is migrating or already on {@code targetHost}. Before compute API 2.34 Nova
     * answers {@code os-migrateLive} only once its conductor is through the migration's checks (with a fast virt
     * driver, through the migration): on a loaded cloud that answer can come after the read timeout, or as a 500
     * for the conductor's RPC timeout, while the migration goes on; the server's state then tells.
     */
    private boolean underWay(String externalId, String targetHost) {
        Server s = keystone.client().compute().servers().get(externalId);
        boolean underWay = s != null && (targetHost.equals(s.getHypervisorHostname()) || "migrating".equals(s.getTaskState()));
        if (underWay) {
            LOG.info("cloud {}: no answer to the live migration of server {}, which is under way to {}", cloud.id(), externalId,
                    targetHost);
        }
        return underWay;
    }

    /** The server's hypervisor once it is ACTIVE with no task (such as a migration) under way. */
    @Override
    public Optional<String> hostOf(String externalId) {
        Validation.required("externalId", externalId);
        return call("read server " + externalId, () -> {
            Server s = keystone.client().compute().servers().get(externalId);
            boolean settled = s != null && s.getTaskState() == null
                    && OpenStackMapping.state(s.getStatus() == null ? null : s.getStatus().value()) == WorkloadState.ACTIVE;
            return settled ? Optional.ofNullable(s.getHypervisorHostname()) : Optional.<String>empty();
        });
    }

    @Override
    public void applyQuota(String departmentId, Map<QuotaResource, Long> limits) {
        Validation.id("departmentId", departmentId);
        call("set the quota of " + departmentId, () -> {
            String projectId = ensureProject(departmentId);
            Map<String, Integer> q = OpenStackMapping.novaQuota(limits);
            keystone.client().compute().quotaSets().updateForTenant(projectId, Builders.quotaSet()
                    .cores(q.get("cores")).ram(q.get("ram")).instances(q.get("instances")).build());
            LOG.info("cloud {}: Nova quota of project {} set to {}", cloud.id(), departmentId, q);
            return null;
        });
    }

    @Override
    public void close() {
        keystone.forget();
    }

    // ------------------------------------------------------------------ disaster recovery (see Replication)

    @Override
    public WorkloadCopy export(String externalId) {
        return call("export server " + externalId, () -> replication.export(externalId));
    }

    @Override
    public String keepReady(WorkloadCopy copy, String network) {
        return call("keep the copy of " + copy.sourceId() + " ready", () -> replication.keepReady(copy, network));
    }

    @Override
    public void isolate(String network) {
        call("isolate network " + network, () -> {
            replication.isolate(network);
            return null;
        });
    }

    @Override
    public boolean customisesAddresses() {
        return true;
    }

    @Override
    public String bringUp(String copyId, String network) {
        return bringUp(copyId, network, null, null);
    }

    @Override
    public String bringUp(String copyId, String network, String workload, NetworkMapping mapping) {
        return call("bring up " + copyId + " in " + network, () -> replication.bringUp(copyId, network, workload, mapping));
    }

    @Override
    public void stop(String externalId) {
        call("stop server " + externalId, () -> {
            replication.stop(externalId);
            return null;
        });
    }

    @Override
    public void dropNetwork(String network) {
        call("remove network " + network, () -> {
            replication.dropNetwork(network);
            return null;
        });
    }

    // ------------------------------------------------------------------ catalog

    private record Resolved(Flavor flavor, String imageId, String networkId) {
    }

    private Resolved resolve(OSClientV3 os, WorkloadSpec spec) {
        if (spec.kind() != WorkloadKind.VM) {
            throw TianshuException.invalid("kind", "cloud " + cloud.id() + " is OpenStack: it runs VMs, not " + spec.kind().id());
        }
        Validation.required("flavor", spec.flavor());
        Validation.required("image", spec.image());
        Flavor flavor = flavors(os).stream()
                .filter(f -> spec.flavor().equals(f.name()) || spec.flavor().equals(f.id())).findFirst()
                .orElseThrow(() -> TianshuException.notFound("flavor", "flavor", spec.flavor()));
        String imageId = os.imagesV2().list(Map.of("name", spec.image())).stream()
                .filter(i -> spec.image().equals(i.getName())).map(i -> i.getId()).findFirst()
                .orElseThrow(() -> TianshuException.notFound("image", "image", spec.image()));
        return new Resolved(flavor, imageId, network(os, spec.network()));
    }

    private String network(OSClientV3 os, String wanted) {
        String name = wanted != null && !wanted.isBlank() ? wanted : options.defaultNetwork();
        List<? extends Network> all = os.networking().network().list();
        if (name != null) {
            return all.stream().filter(n -> name.equals(n.getName()) || name.equals(n.getId())).map(Network::getId)
                    .findFirst().orElseThrow(() -> TianshuException.notFound("network", "network", name));
        }
        return all.stream()
                .sorted(Comparator.comparing((Network n) -> !n.isShared())
                        .thenComparing(Network::getName, Comparator.nullsLast(String::compareTo)))
                .map(Network::getId).findFirst()
                .orElseThrow(() -> TianshuException.notFound("network", "network", "(default)"));
    }

    /** Servers of every project, page by page (Nova caps a page at osapi_max_limit). */
    private static List<Server> servers(OSClientV3 os) {
        return paged(q -> os.compute().servers().list(q), Server::getId, ALL_TENANTS);
    }

    /** Every item of a list API that pages with {@code limit} and {@code marker}. */
    private static <T> List<T> paged(Function<Map<String, String>, List<? extends T>> list, Function<T, String> id,
            Map<String, String> filter) {
        List<T> all = new ArrayList<>();
        String marker = null;
        while (true) {
            Map<String, String> q = new HashMap<>(filter);
            q.put("limit", PAGE);
            if (marker != null) {
                q.put("marker", marker);
            }
            List<? extends T> page = list.apply(q);
            if (page == null || page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            String last = id.apply(page.get(page.size() - 1));
            if (last == null || last.equals(marker)) {
                return all;
            }
            marker = last;
        }
    }

    private List<Flavor> flavors(OSClientV3 os) {
        return os.compute().flavors().list().stream()
                .map(f -> new Flavor(f.getId(), f.getName(), f.getVcpus(), f.getRam(), f.getDisk()))
                .sorted(Comparator.comparing(Flavor::vcpus).thenComparing(Flavor::ramMiB).thenComparing(Flavor::name))
                .toList();
    }

    private Flavor flavorById(OSClientV3 os, String id) {
        if (id == null) {
            return null;
        }
        var f = os.compute().flavors().get(id);
        return f == null ? null : new Flavor(f.getId(), f.getName(), f.getVcpus(), f.getRam(), f.getDisk());
    }

    // ------------------------------------------------------------------ hosts

    private List<Host> hosts(OSClientV3 os) {
        Map<String, Map<String, Set<String>>> zones = new HashMap<>();
        try {
            os.compute().zones().list(true).forEach(z -> {
                Map<String, Set<String>> hosts = new HashMap<>();
                if (z.getHosts() != null) {
                    z.getHosts().forEach((h, services) -> hosts.put(h, new HashSet<>(services.keySet())));
                }
                zones.put(z.getZoneName(), hosts);
            });
        } catch (ResponseException e) {
            LOG.debug("cloud {}: no availability zones: {}", cloud.id(), e.getMessage());
        }
        Map<String, ResourceProvider> providers = null;
        List<Host> hosts = new ArrayList<>();
        for (Hypervisor h : os.compute().hypervisors().list()) {
            String serviceHost = h.getService() != null ? h.getService().getHost() : h.getHypervisorHostname();
            Resources capacity = new Resources(h.getVirtualCPU() * 1000L, h.getLocalMemory(), h.getLocalDisk(), 0);
            Resources allocated = new Resources(h.getVirtualUsedCPU() * 1000L, h.getLocalMemoryUsed(),
                    h.getLocalDiskUsed(), 0);
            if (capacity.equals(Resources.ZERO)) { // compute API 2.88+ hides these: ask Placement
                if (providers == null) {
                    providers = new HashMap<>();
                    for (ResourceProvider rp : os.placement().resourceProviders().list()) {
                        providers.put(rp.getName(), rp);
                    }
                }
                ResourceProvider rp = providers.get(h.getHypervisorHostname());
                if (rp != null) {
                    ResourceProviderInventories inv = os.placement().resourceProviders().resourceProviderInventories(rp.getId());
                    ResourceProviderUsages use = os.placement().resourceProviders().resourceProviderUsages(rp.getId());
                    capacity = new Resources(
                            inv.getVcpu() == null ? 0 : (inv.getVcpu().getTotal() - inv.getVcpu().getReserved()) * 1000L,
                            inv.getMemoryMb() == null ? 0 : inv.getMemoryMb().getTotal() - inv.getMemoryMb().getReserved(),
                            inv.getDiskGb() == null ? 0 : inv.getDiskGb().getTotal() - inv.getDiskGb().getReserved(), 0);
                    allocated = use == null ? Resources.ZERO
                            : new Resources(use.getVcpu() * 1000L, use.getMemoryMb(), use.getDiskGb(), 0);
                }
            }
            hosts.add(new Host(cloud.id(), h.getHypervisorHostname(), OpenStackMapping.zone(serviceHost, zones),
                    capacity, allocated, null,
                    "up".equalsIgnoreCase(h.getState()) && !"disabled".equalsIgnoreCase(h.getStatus())));
        }
        hosts.sort(Comparator.comparing(Host::name));
        return hosts;
    }

    // ------------------------------------------------------------------ departments

    /** The id of the department's project, created (with our user's role on it) when missing. */
    private String ensureProject(String departmentId) {
        OSClientV3 os = keystone.client();
        Project p = os.identity().projects().getByName(departmentId, options.projectDomainId());
        if (p == null) {
            try {
                p = os.identity().projects().create(Builders.project().name(departmentId)
                        .domainId(options.projectDomainId()).description("Tianshu department " + departmentId)
                        .enabled(true).build());
                LOG.info("cloud {}: created project {} for department {}", cloud.id(), p.getId(), departmentId);
            } catch (ResponseException e) {
                if (e.getStatus() != 409) {
                    throw e;
                }
                p = os.identity().projects().getByName(departmentId, options.projectDomainId()); // created meanwhile
            }
        }
        String projectId = p.getId();
        grant(projectId, departmentId, options.projectRole());
        return projectId;
    }

    /** Gives the session's user {@code roleName} on the department's project (idempotent in Keystone). */
    private void grant(String projectId, String departmentId, String roleName) {
        OSClientV3 os = keystone.client();
        Role role = os.identity().roles().getByName(roleName).stream().findFirst()
                .orElseThrow(() -> TianshuException.invalid("options", "cloud " + cloud.id() + " has no Keystone role '"
                        + roleName + "'" + (roleName.equals(options.projectRole())
                                ? " (option " + OpenStackOptions.OPT_PROJECT_ROLE + ")" : "")));
        // OpenStack4j cannot read the empty 404 of a role check, so grant every time
        ActionResponse r = os.identity().roles().grantProjectUserRole(projectId, keystone.userId(), role.getId());
        if (!r.isSuccess()) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, null, "cloud " + cloud.id()
                    + ": Keystone refused role " + role.getName() + " on project " + departmentId + ": " + r.getFault());
        }
    }

    // ------------------------------------------------------------------ errors

    private <T> T call(String action, Supplier<T> op) {
        try {
            return op.get();
        } catch (TianshuException e) {
            throw e;
        } catch (ConnectionException e) {
            throw keystone.unreachable(e);
        } catch (ResponseException e) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, null, "cloud " + cloud.id()
                    + ": OpenStack failed to " + action + " (HTTP " + e.getStatus() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (Keystone.hasIoCause(e)) {
                throw keystone.unreachable(e);
            }
            throw new TianshuException(TianshuException.Kind.UPSTREAM, null,
                    "cloud " + cloud.id() + ": failed to " + action + ": " + e, e);
        }
    }
}
