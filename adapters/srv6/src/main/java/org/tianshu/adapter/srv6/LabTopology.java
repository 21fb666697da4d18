package org.tianshu.adapter.srv6;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Link;
import org.tianshu.api.plane.Router;
import org.tianshu.api.plane.RouterRole;
import org.tianshu.api.plane.Topology;

/**
 * The lab backbone as {@code lab/srv6.sh} wrote it ({@code topology.json}): routers with their locators, links with
 * capacity, latency and SRLGs, and the attachment ports. Router {@code r} lives in namespace {@code <prefix>r}; on it
 * the interface towards router {@code s} is named {@code s}; the host behind port {@code p} lives in namespace
 * {@code <prefix>h-r-p}.
 */
record LabTopology(String prefix, Topology topology, List<Attachment> attachments, Map<String, IPAddress> locators) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the topology file; UPSTREAM when it is missing (the lab is not up), INVALID when it is malformed. */
    static LabTopology read(Path file, String prefix) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "topologyFile",
                    "the SRv6 lab topology " + file + " does not exist: start the lab with lab/srv6.sh up");
        } catch (IOException e) {
            throw TianshuException.invalid("topologyFile", "cannot read " + file + ": " + e.getMessage());
        }
        List<Router> routers = new ArrayList<>();
        Map<String, IPAddress> locators = new LinkedHashMap<>();
        for (JsonNode r : root.path("routers")) {
            String id = r.path("id").asText();
            IPAddress locator = new IPAddressString(r.path("locator").asText()).getAddress();
            if (locator == null || !locator.isIPv6() || !locator.isPrefixBlock()) {
                throw TianshuException.invalid("topologyFile", "router " + id + " has no IPv6 locator prefix in " + file);
            }
            routers.add(new Router(id, RouterRole.valueOf(r.path("role").asText()), r.path("city").asText(),
                    locator.toCanonicalString()));
            locators.put(id, locator);
        }
        List<Link> links = new ArrayList<>();
        for (JsonNode l : root.path("links")) {
            var srlgs = new HashSet<String>();
            l.path("srlgs").forEach(s -> srlgs.add(s.asText()));
            links.add(new Link(l.path("id").asText(), l.path("a").asText(), l.path("b").asText(),
                    l.path("capacityMbps").asLong(), l.path("latencyMicros").asLong(), srlgs, true));
        }
        List<Attachment> attachments = new ArrayList<>();
        for (JsonNode a : root.path("attachments")) {
            attachments.add(new Attachment(a.path("router").asText(), a.path("port").asText()));
        }
        if (routers.isEmpty()) {
            throw TianshuException.invalid("topologyFile", "no routers in " + file);
        }
        return new LabTopology(prefix, new Topology(routers, links), List.copyOf(attachments), Map.copyOf(locators));
    }

    /** The namespace of a router. */
    String routerNamespace(String router) {
        return prefix + router;
    }

    /** The namespace of the host behind an attachment port. */
    String hostNamespace(Attachment a) {
        return prefix + "h-" + a.router() + "-" + a.port();
    }

    /** The router whose locator holds an address, if any. */
    Optional<String> owner(IPAddress address) {
        return locators.entrySet().stream().filter(e -> e.getValue().contains(address)).map(Map.Entry::getKey).findFirst();
    }

    /** The link between two routers, if they are neighbours. */
    Optional<Link> link(String a, String b) {
        return topology.links().stream()
                .filter(l -> l.a().equals(a) && l.b().equals(b) || l.a().equals(b) && l.b().equals(a)).findFirst();
    }

    boolean isRouter(String id) {
        return locators.containsKey(id);
    }
}
