package org.tianshu.adapter.openstack;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.Facing;
import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.model.common.Payloads;
import org.openstack4j.model.compute.Action;
import org.openstack4j.model.compute.Address;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.image.v2.ContainerFormat;
import org.openstack4j.model.image.v2.DiskFormat;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.model.network.IPVersionType;
import org.openstack4j.model.network.Network;
import org.openstack4j.model.network.Port;
import org.openstack4j.model.network.Subnet;
import org.openstack4j.model.network.options.PortListOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.WorkloadState;
import org.tianshu.api.dr.Cidr;
import org.tianshu.api.dr.NetworkMapping;
import org.tianshu.api.dr.WorkloadCopy;

/**
 * Disaster-recovery replication on OpenStack. On the protected cloud a copy is a Nova snapshot of the
 * server (createImage), its data downloaded from Glance to a staging file; on the recovery cloud it is a
 * private Glance image of the session's project named {@code tianshu-dr-copy-<server id>} (the copy id) with
 * the server's flavor, network and address in its properties, replaced by each newer copy. A drill's isolated
 * network is a Neutron network of that project with a subnet and no router; copies come up as new servers.
 *
 * <p>Nova's fake virt driver (the lab's) snapshots no data: its snapshot image stays {@code queued} once the
 * server's task has ended. A fake server's disk is its boot image, untouched, so the copy then takes the data
 * of the snapshot's {@code base_image_ref}; the payload says which ({@code data=snapshot|base-image}).
 */
final class Replication {
    private static final Logger LOG = LoggerFactory.getLogger(Replication.class);

    /** Image property (snapshots and copies): id of the protected server. */
    static final String SOURCE = "tianshu_dr_source";
    /** Image property of copies: id of the snapshot the copy was made from. */
    static final String SNAPSHOT = "tianshu_dr_snapshot";
    /** Image property: when the copy was consistent (ISO-8601). */
    static final String CONSISTENT_AT = "tianshu_dr_consistent_at";
    /** Image property of copies: the flavor name of the protected server. */
    static final String FLAVOR = "tianshu_dr_flavor";
    static final String NAME = "tianshu_dr_name";
    static final String NETWORK = "tianshu_dr_network";
    static final String ADDRESS = "tianshu_dr_address";
    /** Server metadata of recovered servers: the copy they came from and the network id they came up in. */
    static final String COPY_METADATA = "tianshu.dr.copy";
    static final String NETWORK_METADATA = "tianshu.dr.network";
    /** Prefix of copy ids (image names of copies) and of the ports DR creates. */
    static final String COPY_PREFIX = "tianshu-dr-copy-";
    /** Name of the subnet that marks an isolated DR network. */
    static final String ISOLATED_SUBNET = "tianshu-dr-isolated";
    /** Subnet of an isolated network, unrouted; IP customisation adds the mapped recovery subnet beside it. */
    static final String ISOLATED_CIDR = "192.168.254.0/24";

    /** Cloud option: directory of snapshot data on its way to the recovery cloud. */
    static final String OPT_STAGING = "dr.staging.dir";
    /** Cloud option: how long to wait for a snapshot, an upload or a deletion, in seconds (default 600). */
    static final String OPT_TIMEOUT = "dr.timeout.seconds";

    private static final Duration POLL = Duration.ofMillis(500);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Cloud cloud;
    private final Keystone keystone;
    private final Path staging;
    private final Duration timeout;

    Replication(Cloud cloud, Keystone keystone) {
        this.cloud = cloud;
        this.keystone = keystone;
        String dir = cloud.options().get(OPT_STAGING);
        this.staging = dir == null || dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "tianshu-dr-staging")
                : Path.of(dir.trim());
        String t = cloud.options().getOrDefault(OPT_TIMEOUT, "600").trim();
        long seconds;
        try {
            seconds = Long.parseLong(t);
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        if (seconds < 1) {
            throw TianshuException.invalid("options", "option " + OPT_TIMEOUT + " must be a positive number of seconds, got '"
                    + t + "'");
        }
        this.timeout = Duration.ofSeconds(seconds);
    }

    // ------------------------------------------------------------------ protected side

    WorkloadCopy export(String serverId) {
        Validation.required("externalId", serverId);
        OSClientV3 os = keystone.client();
        Server s = server(os, serverId);
        await("server " + serverId + " free of tasks", () -> server(os, serverId).getTaskState() == null);
        Instant at = Instant.now();
        String name = "tianshu-dr-" + serverId + "-" + at.toEpochMilli();
        String snapshotId = os.compute().servers().createSnapshot(serverId, name,
                Map.of(SOURCE, serverId, CONSISTENT_AT, at.toString()));
        if (snapshotId == null) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "externalId", "cloud " + cloud.id()
                    + ": Nova took no snapshot of server " + serverId);
        }
        await("snapshot " + snapshotId + " of server " + serverId, () -> server(os, serverId).getTaskState() == null);
        Image snapshot = os.imagesV2().get(snapshotId);
        String data;
        String from;
        if (snapshot != null && snapshot.getStatus() == Image.ImageStatus.ACTIVE) {
            data = snapshotId;
            from = "snapshot";
        } else if (snapshot != null && snapshot.getStatus() == Image.ImageStatus.QUEUED
                && snapshot.getAdditionalPropertyValue("base_image_ref") != null) {
            data = snapshot.getAdditionalPropertyValue("base_image_ref"); // fake virt driver: see the class comment
            from = "base-image";
        } else {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "externalId", "cloud " + cloud.id() + ": snapshot "
                    + snapshotId + " of server " + serverId + " is " + (snapshot == null ? "gone" : snapshot.getStatus()));
        }
        Image source = os.imagesV2().get(data);
        Path file = stagingFile(snapshotId);
        try {
            Files.createDirectories(staging);
            ActionResponse r = os.imagesV2().download(data, file.toFile());
            if (!r.isSuccess()) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, "externalId", "cloud " + cloud.id()
                        + ": Glance refused the data of image " + data + " (HTTP " + r.getCode() + "): " + r.getFault());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("staging " + file, e);
        }
        removeOlderSnapshots(os, serverId, snapshotId);

        Map.Entry<String, String> nic = firstAddress(s);
        Properties p = new Properties();
        p.setProperty("snapshot", snapshotId);
        p.setProperty("data", from);
        p.setProperty("file", file.toString());
        var flavor = os.compute().flavors().get(s.getFlavorId());
        p.setProperty("flavor", flavor == null ? s.getFlavorId() : flavor.getName());
        p.setProperty("diskFormat", source.getDiskFormat() == null ? "raw" : source.getDiskFormat().value());
        p.setProperty("containerFormat", source.getContainerFormat() == null ? "bare" : source.getContainerFormat().value());
        p.setProperty("minDisk", String.valueOf(snapshot.getMinDisk() == null ? 0 : snapshot.getMinDisk()));
        if (nic != null && nic.getValue() != null) {
            p.setProperty("address", nic.getValue());
        }
        LOG.info("cloud {}: server {} exported as snapshot {} ({} bytes of {} data)", cloud.id(), serverId, snapshotId,
                size(file), from);
        return new WorkloadCopy(s.getName(), serverId, nic == null ? null : nic.getKey(), write(p), at);
    }

    void stop(String serverId) {
        Validation.required("externalId", serverId);
        OSClientV3 os = keystone.client();
        Server s = os.compute().servers().get(serverId);
        if (s == null || s.getStatus() == Server.Status.SHUTOFF || s.getStatus() == Server.Status.DELETED) {
            return;
        }
        ActionResponse r = os.compute().servers().action(serverId, Action.STOP);
        if (!r.isSuccess() && r.getCode() != 404) {
            Server now = os.compute().servers().get(serverId);
            if (now != null && now.getStatus() != Server.Status.SHUTOFF) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, "externalId", "cloud " + cloud.id()
                        + ": Nova refused to stop server " + serverId + " (HTTP " + r.getCode() + "): " + r.getFault());
            }
        }
        await("server " + serverId + " to stop", () -> {
            Server now = os.compute().servers().get(serverId);
            return now == null || now.getStatus() == Server.Status.SHUTOFF;
        });
    }

    // ------------------------------------------------------------------ recovery side

    String keepReady(WorkloadCopy copy, String network) {
        Properties p = read(copy.payload());
        String copyId = COPY_PREFIX + copy.sourceId();
        String snapshotId = p.getProperty("snapshot");
        OSClientV3 os = keystone.client();
        for (Image old : copies(os, copyId)) {
            if (snapshotId.equals(old.getAdditionalPropertyValue(SNAPSHOT))) {
                if (old.getStatus() == Image.ImageStatus.ACTIVE) {
                    removeOlderCopies(os, copyId, old.getId());
                    deleteQuietly(Path.of(p.getProperty("file")));
                    return copyId; // kept by an earlier call
                }
                deleteImage(os, old.getId()); // an upload cut short
            }
        }
        Path file = Path.of(p.getProperty("file"));
        if (!Files.isRegularFile(file)) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "copy", "cloud " + cloud.id() + ": the data of snapshot "
                    + snapshotId + " is no longer staged at " + file + "; export the workload again");
        }
        var b = Builders.imageV2().name(copyId).visibility(Image.ImageVisibility.PRIVATE)
                .diskFormat(DiskFormat.value(p.getProperty("diskFormat")))
                .containerFormat(ContainerFormat.value(p.getProperty("containerFormat")))
                .minDisk(Long.parseLong(p.getProperty("minDisk", "0")))
                .additionalProperty(SOURCE, copy.sourceId()).additionalProperty(SNAPSHOT, snapshotId)
                .additionalProperty(CONSISTENT_AT, copy.consistentAt().toString())
                .additionalProperty(FLAVOR, p.getProperty("flavor")).additionalProperty(NAME, copy.name());
        if (network != null) {
            b.additionalProperty(NETWORK, network);
        }
        if (p.getProperty("address") != null) {
            b.additionalProperty(ADDRESS, p.getProperty("address"));
        }
        Image image = os.imagesV2().create(b.build());
        ActionResponse r = os.imagesV2().upload(image.getId(), Payloads.create(file.toFile()), image);
        if (!r.isSuccess()) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "copy", "cloud " + cloud.id()
                    + ": Glance refused the data of copy " + copyId + " (HTTP " + r.getCode() + "): " + r.getFault());
        }
        await("copy " + image.getId() + " to turn active", () -> {
            Image now = os.imagesV2().get(image.getId());
            return now != null && now.getStatus() == Image.ImageStatus.ACTIVE;
        });
        removeOlderCopies(os, copyId, image.getId());
        deleteQuietly(file);
        LOG.info("cloud {}: copy {} kept as image {} (snapshot {}, consistent at {})", cloud.id(), copyId, image.getId(),
                snapshotId, copy.consistentAt());
        return copyId;
    }

    void isolate(String network) {
        Validation.id("network", network);
        OSClientV3 os = keystone.client();
        Network n = ownNetwork(os, network);
        if (n == null) {
            n = createNetwork(os, network);
            LOG.info("cloud {}: isolated network {} created ({})", cloud.id(), network, n.getId());
        }
        String id = n.getId();
        List<? extends Subnet> subnets = subnets(os, id);
        if (subnets.stream().noneMatch(s -> ISOLATED_SUBNET.equals(s.getName()))) {
            if (!subnets.isEmpty()) {
                throw notIsolated(network);
            }
            os.networking().subnet().create(Builders.subnet().name(ISOLATED_SUBNET).networkId(id)
                    .ipVersion(IPVersionType.V4).cidr(ISOLATED_CIDR).noGateway().enableDHCP(true).build());
        }
        boolean routed = os.networking().port().list(PortListOptions.create().networkId(id)).stream()
                .anyMatch(p -> p.getDeviceOwner() != null && p.getDeviceOwner().startsWith("network:router"));
        if (routed) {
            throw TianshuException.conflict("network", "network '" + network + "' of cloud " + cloud.id()
                    + " is attached to a router: it is not isolated");
        }
    }

    String bringUp(String copyId, String network, String workload, NetworkMapping mapping) {
        Validation.required("copyId", copyId);
        Validation.required("network", network);
        OSClientV3 os = keystone.client();
        Network net = ownNetwork(os, network);
        if (net == null) {
            net = os.networking().network().list(Map.of("name", network)).stream().filter(Network::isShared).findFirst()
                    .orElseThrow(() -> TianshuException.notFound("network", "network of cloud " + cloud.id(), network));
        }
        String netId = net.getId();
        for (Server s : os.compute().servers().list(true)) { // the project's servers
            Map<String, String> md = s.getMetadata();
            if (md == null || !copyId.equals(md.get(COPY_METADATA)) || !netId.equals(md.get(NETWORK_METADATA))) {
                continue;
            }
            WorkloadState state = OpenStackMapping.state(s.getStatus() == null ? null : s.getStatus().value());
            if (state == WorkloadState.ERROR) {
                os.compute().servers().delete(s.getId()); // a failed boot of an earlier call: boot again
                LOG.warn("cloud {}: server {} of copy {} is in error; deleted, booting again", cloud.id(), s.getId(), copyId);
            } else if (state != WorkloadState.GONE) {
                return s.getId(); // brought up by an earlier call
            }
        }
        Image image = copies(os, copyId).stream().filter(i -> i.getStatus() == Image.ImageStatus.ACTIVE)
                .max(Comparator.comparing(i -> i.getAdditionalPropertyValue(CONSISTENT_AT)))
                .orElseThrow(() -> TianshuException.notFound("copyId", "copy on cloud " + cloud.id(), copyId));
        String address = mapping == null ? null
                : mapping.recoveryAddress(workload, image.getAdditionalPropertyValue(ADDRESS));
        String flavor = image.getAdditionalPropertyValue(FLAVOR);
        String flavorId = os.compute().flavors().list().stream()
                .filter(f -> flavor.equals(f.getName()) || flavor.equals(f.getId())).map(f -> f.getId()).findFirst()
                .orElseThrow(() -> TianshuException.notFound("copyId", "flavor of cloud " + cloud.id(), flavor));
        var server = Builders.server().name(image.getAdditionalPropertyValue(NAME))
                .flavor(flavorId).image(image.getId())
                .addMetadataItem(COPY_METADATA, copyId).addMetadataItem(NETWORK_METADATA, netId);
        if (address == null) {
            server.networks(List.of(netId));
        } else {
            server.addNetworkPort(port(os, net, copyId, address, mapping));
        }
        Server up = os.compute().servers().boot(server.build());
        if (up == null || up.getId() == null) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "copyId", "cloud " + cloud.id()
                    + ": Nova returned no server for copy " + copyId);
        }
        LOG.info("cloud {}: copy {} coming up as server {} in network {}{}", cloud.id(), copyId, up.getId(), network,
                address == null ? "" : " at " + address);
        return up.getId();
    }

    void dropNetwork(String network) {
        Validation.id("network", network);
        OSClientV3 os = keystone.client();
        Network n = ownNetwork(os, network);
        if (n == null) {
            return;
        }
        String id = n.getId();
        if (subnets(os, id).stream().noneMatch(s -> ISOLATED_SUBNET.equals(s.getName()))) {
            throw notIsolated(network);
        }
        for (Port p : os.networking().port().list(PortListOptions.create().networkId(id))) {
            if (p.getDeviceOwner() != null && p.getDeviceOwner().startsWith("compute:") && p.getDeviceId() != null) {
                ActionResponse r = os.compute().servers().delete(p.getDeviceId());
                if (!r.isSuccess() && r.getCode() != 404) {
                    throw new TianshuException(TianshuException.Kind.UPSTREAM, "network", "cloud " + cloud.id()
                            + ": Nova refused to delete server " + p.getDeviceId() + " (HTTP " + r.getCode() + ")");
                }
            }
        }
        await("servers of network " + network + " to go", () -> os.networking().port()
                .list(PortListOptions.create().networkId(id)).stream()
                .noneMatch(p -> p.getDeviceOwner() != null && p.getDeviceOwner().startsWith("compute:")));
        for (Port p : os.networking().port().list(PortListOptions.create().networkId(id))) {
            if (p.getDeviceOwner() == null || p.getDeviceOwner().isEmpty()) {
                os.networking().port().delete(p.getId()); // fixed-address ports DR created
            }
        }
        ActionResponse r = os.networking().network().delete(id);
        if (!r.isSuccess() && r.getCode() != 404) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "network", "cloud " + cloud.id()
                    + ": Neutron refused to delete network " + network + " (HTTP " + r.getCode() + "): " + r.getFault());
        }
        LOG.info("cloud {}: isolated network {} removed", cloud.id(), network);
    }

    // ------------------------------------------------------------------ helpers

    /** The port with fixed address {@code address} for copy {@code copyId}, created in a subnet that holds it. */
    private String port(OSClientV3 os, Network net, String copyId, String address, NetworkMapping mapping) {
        String name = copyId + "@" + address;
        for (Port p : os.networking().port().list(PortListOptions.create().networkId(net.getId()).name(name))) {
            if (p.getDeviceId() == null || p.getDeviceId().isEmpty()) {
                return p.getId(); // created by an earlier call
            }
        }
        List<? extends Subnet> subnets = subnets(os, net.getId());
        Subnet subnet = subnets.stream().filter(s -> Cidr.parse("cidr", s.getCidr()).contains(address)).findFirst()
                .orElse(null);
        if (subnet == null) {
            boolean isolated = subnets.stream().anyMatch(s -> ISOLATED_SUBNET.equals(s.getName()));
            if (!isolated || mapping.recoveryCidr() == null) {
                throw TianshuException.conflict("networks", "network '" + net.getName() + "' of cloud " + cloud.id()
                        + " has no subnet holding " + address + "; create " + mapping.recoveryCidr() + " there first");
            }
            Cidr cidr = Cidr.parse("recoveryCidr", mapping.recoveryCidr());
            subnet = os.networking().subnet().create(Builders.subnet().name(ISOLATED_SUBNET + "-" + cidr.prefix())
                    .networkId(net.getId()).ipVersion(address.contains(":") ? IPVersionType.V6 : IPVersionType.V4)
                    .cidr(cidr.toString()).noGateway().enableDHCP(true).build());
        }
        Port p = os.networking().port().create(Builders.port().name(name).networkId(net.getId())
                .fixedIp(address, subnet.getId()).build());
        return p.getId();
    }

    private Server server(OSClientV3 os, String serverId) {
        Server s = os.compute().servers().get(serverId);
        if (s == null) {
            throw TianshuException.notFound("externalId", "server of cloud " + cloud.id(), serverId);
        }
        if (s.getStatus() == Server.Status.ERROR) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "externalId", "cloud " + cloud.id() + ": server "
                    + serverId + " is in error");
        }
        return s;
    }

    /** The server's first network with its first fixed address (sorted by network name), null if it has none. */
    private static Map.Entry<String, String> firstAddress(Server s) {
        if (s.getAddresses() == null || s.getAddresses().getAddresses() == null) {
            return null;
        }
        var first = new java.util.TreeMap<String, List<? extends Address>>(s.getAddresses().getAddresses()).firstEntry();
        if (first == null) {
            return null;
        }
        String fixed = first.getValue() == null ? null : first.getValue().stream()
                .filter(a -> a.getType() == null || "fixed".equals(a.getType())).map(Address::getAddr).findFirst()
                .orElse(null);
        return new java.util.AbstractMap.SimpleEntry<>(first.getKey(), fixed);
    }

    /** Images of the session's project named {@code copyId}. */
    private List<? extends Image> copies(OSClientV3 os, String copyId) {
        return os.imagesV2().list(Map.of("name", copyId, "owner", keystone.homeProjectId()));
    }

    private void removeOlderCopies(OSClientV3 os, String copyId, String keep) {
        for (Image i : copies(os, copyId)) {
            if (!i.getId().equals(keep)) {
                deleteImage(os, i.getId());
            }
        }
    }

    /** Deletes the DR snapshots of {@code serverId} other than {@code keep}, with their staged data. */
    private void removeOlderSnapshots(OSClientV3 os, String serverId, String keep) {
        for (Image i : os.imagesV2().list(Map.of(SOURCE, serverId, "owner", keystone.homeProjectId()))) {
            if (!i.getId().equals(keep) && i.getAdditionalPropertyValue(SNAPSHOT) == null) {
                deleteImage(os, i.getId());
                deleteQuietly(stagingFile(i.getId()));
            }
        }
    }

    private void deleteImage(OSClientV3 os, String imageId) {
        ActionResponse r = os.imagesV2().delete(imageId);
        if (!r.isSuccess() && r.getCode() != 404) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, null, "cloud " + cloud.id()
                    + ": Glance refused to delete image " + imageId + " (HTTP " + r.getCode() + "): " + r.getFault());
        }
    }

    private Network ownNetwork(OSClientV3 os, String name) {
        return os.networking().network().list(Map.of("name", name, "tenant_id", keystone.homeProjectId())).stream()
                .findFirst().orElse(null);
    }

    /**
     * Creates network {@code name} in the session's project through Neutron's REST API: OpenStack4j 3.12 always
     * sends {@code is_default}, which Neutron refuses unless its auto-allocated-topology extension is loaded.
     */
    private Network createNetwork(OSClientV3 os, String name) {
        String base = os.getToken().getCatalog().stream().filter(svc -> "network".equals(svc.getType()))
                .flatMap(svc -> svc.getEndpoints().stream())
                .filter(e -> e.getIface() == Facing.PUBLIC
                        && (cloud.region() == null || cloud.region().isBlank() || cloud.region().equals(e.getRegion())))
                .map(e -> e.getUrl().toString()).findFirst()
                .orElseThrow(() -> new TianshuException(TianshuException.Kind.UPSTREAM, "endpoint", "cloud " + cloud.id()
                        + ": no public network endpoint in the Keystone catalog"));
        base = base.replaceAll("/+$", "");
        String url = (base.endsWith("/v2.0") ? base : base + "/v2.0") + "/networks";
        String body = "{\"network\":{\"name\":\"" + name + "\",\"admin_state_up\":true}}"; // name: a checked id
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("X-Auth-Token", os.getToken().getId()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "network", "interrupted creating network " + name);
        }
        if (r.statusCode() != 201) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "network", "cloud " + cloud.id()
                    + ": Neutron refused to create network " + name + " (HTTP " + r.statusCode() + "): " + r.body());
        }
        Network n = ownNetwork(os, name);
        if (n == null) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "network", "cloud " + cloud.id() + ": network "
                    + name + " was created but is not listed");
        }
        return n;
    }

    private static List<? extends Subnet> subnets(OSClientV3 os, String networkId) {
        List<Subnet> out = new ArrayList<>();
        for (Subnet s : os.networking().subnet().list()) {
            if (networkId.equals(s.getNetworkId())) {
                out.add(s);
            }
        }
        return out;
    }

    private TianshuException notIsolated(String network) {
        return TianshuException.conflict("network", "network '" + network + "' of cloud " + cloud.id()
                + " is not an isolated DR network (it has no subnet " + ISOLATED_SUBNET + "); it is left alone");
    }

    private Path stagingFile(String snapshotId) {
        return staging.resolve(cloud.id() + "-" + snapshotId + ".img");
    }

    private void await(String what, BooleanSupplier done) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new TianshuException(TianshuException.Kind.UPSTREAM, null, "cloud " + cloud.id() + ": waited "
                        + timeout.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TianshuException(TianshuException.Kind.UPSTREAM, null, "interrupted waiting for " + what);
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot remove staged copy {}: {}", file, e.getMessage());
        }
    }

    private static String write(Properties p) {
        StringWriter w = new StringWriter();
        try {
            p.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static Properties read(String payload) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(payload == null ? "" : payload));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (p.getProperty("snapshot") == null || p.getProperty("file") == null) {
            throw TianshuException.invalid("copy", "not a copy of an OpenStack server");
        }
        return p;
    }
}
