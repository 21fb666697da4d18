package org.tianshu.planes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.AddressFamily;
import org.tianshu.api.plane.AddressPolicy;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.Connectivity;
import org.tianshu.api.plane.Isolation;
import org.tianshu.api.plane.LegacySite;
import org.tianshu.api.plane.MigrationPlan;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneSite;
import org.tianshu.api.plane.Protection;
import org.tianshu.api.plane.Slo;

/**
 * Plane files, YAML or JSON (JSON is YAML), into intents. Every field is checked by name, so a typo is an INVALID
 * naming it (e.g. {@code sites[1].atachment}) instead of a silently ignored line. Enum values are written in lower
 * case with dashes ({@code hub-and-spoke}, {@code shared-qos}, {@code dual-stack}); protection is {@code none} or
 * {@code 1+1}.
 */
final class PlaneDocuments {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> TOP = Set.of("name", "departments", "sites", "connectivity", "hub", "isolation", "slo",
            "protection", "addressFamily");
    private static final Set<String> SITE = Set.of("name", "attachment", "keepIpv6Prefix", "keepIpv4Prefix");
    private static final Set<String> SLO = Set.of("minBandwidthMbps", "maxLatencyMs", "maxLossPercent");
    private static final Set<String> LEGACY = Set.of("name", "attachment", "ipv6Prefix", "ipv4Prefix", "addresses");

    private PlaneDocuments() {
    }

    static PlaneIntent parse(String document) {
        return intent(tree(document), "");
    }

    /** A private network file: {@code network}, {@code plane} (a plane without sites) and its legacy {@code sites}. */
    static MigrationPlan parseMigration(String document) {
        JsonNode root = tree(document);
        fields(root, Set.of("network", "plane", "sites"), "");
        JsonNode plane = root.get("plane");
        if (plane == null || !plane.isObject()) {
            throw TianshuException.invalid("plane", "plane: the target plane's settings (name, departments, ...) are required");
        }
        List<LegacySite> sites = new ArrayList<>();
        JsonNode list = root.get("sites");
        if (list != null) {
            if (!list.isArray()) {
                throw TianshuException.invalid("sites", "sites must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                String f = "sites[" + i + "]";
                JsonNode s = list.get(i);
                if (!s.isObject()) {
                    throw TianshuException.invalid(f, f + " must be an object with name, attachment, prefixes, addresses");
                }
                fields(s, LEGACY, f + ".");
                sites.add(new LegacySite(text(s.get("name"), f + ".name"), attachment(s.get("attachment"), f + ".attachment"),
                        text(s.get("ipv6Prefix"), f + ".ipv6Prefix"), text(s.get("ipv4Prefix"), f + ".ipv4Prefix"),
                        choice(s.get("addresses"), f + ".addresses", AddressPolicy.class)));
            }
        }
        return new MigrationPlan(text(root.get("network"), "network"), intent(plane, "plane."), sites);
    }

    private static JsonNode tree(String document) {
        JsonNode root;
        try {
            root = document == null ? null : YAML.readTree(document);
        } catch (JsonProcessingException e) {
            throw TianshuException.invalid("document", "not a YAML or JSON file: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        }
        if (root == null || !root.isObject()) {
            throw TianshuException.invalid("document", "a plane file is a YAML or JSON object with name, departments and sites");
        }
        return root;
    }

    private static Attachment attachment(JsonNode n, String field) {
        String attachment = text(n, field);
        try {
            return attachment == null ? null : Attachment.parse(attachment);
        } catch (IllegalArgumentException e) {
            throw TianshuException.invalid(field, e.getMessage());
        }
    }

    private static PlaneIntent intent(JsonNode root, String at) {
        fields(root, TOP, at);
        List<String> departments = new ArrayList<>();
        JsonNode deps = root.get("departments");
        if (deps != null) {
            if (!deps.isArray()) {
                throw TianshuException.invalid(at + "departments", at + "departments must be a list of department ids");
            }
            for (int i = 0; i < deps.size(); i++) {
                departments.add(text(deps.get(i), at + "departments[" + i + "]"));
            }
        }
        List<PlaneSite> sites = new ArrayList<>();
        JsonNode list = root.get("sites");
        if (list != null) {
            if (!list.isArray()) {
                throw TianshuException.invalid(at + "sites", at + "sites must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                String f = at + "sites[" + i + "]";
                JsonNode s = list.get(i);
                if (!s.isObject()) {
                    throw TianshuException.invalid(f, f + " must be an object with name and attachment");
                }
                fields(s, SITE, f + ".");
                sites.add(new PlaneSite(text(s.get("name"), f + ".name"), attachment(s.get("attachment"), f + ".attachment"),
                        text(s.get("keepIpv6Prefix"), f + ".keepIpv6Prefix"), text(s.get("keepIpv4Prefix"), f + ".keepIpv4Prefix")));
            }
        }
        Slo slo = null;
        JsonNode n = root.get("slo");
        if (n != null) {
            if (!n.isObject()) {
                throw TianshuException.invalid(at + "slo", at + "slo must be an object with minBandwidthMbps, maxLatencyMs, maxLossPercent");
            }
            fields(n, SLO, at + "slo.");
            slo = new Slo(whole(n.get("minBandwidthMbps"), at + "slo.minBandwidthMbps"),
                    number(n.get("maxLatencyMs"), at + "slo.maxLatencyMs"), number(n.get("maxLossPercent"), at + "slo.maxLossPercent"));
        }
        String protection = text(root.get("protection"), at + "protection");
        Protection p = protection == null ? null : switch (protection.toLowerCase(Locale.ROOT)) {
            case "none" -> Protection.NONE;
            case "1+1", "one-plus-one-srlg-disjoint", "one_plus_one_srlg_disjoint" -> Protection.ONE_PLUS_ONE_SRLG_DISJOINT;
            default -> throw TianshuException.invalid(at + "protection", at + "protection must be none or 1+1, got '" + protection + "'");
        };
        return new PlaneIntent(text(root.get("name"), at + "name"), departments, sites,
                choice(root.get("connectivity"), at + "connectivity", Connectivity.class), text(root.get("hub"), at + "hub"),
                choice(root.get("isolation"), at + "isolation", Isolation.class), slo, p,
                choice(root.get("addressFamily"), at + "addressFamily", AddressFamily.class));
    }

    private static void fields(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw TianshuException.invalid(prefix + f, "unknown field " + prefix + f + "; known: " + allowed.stream().sorted().toList());
            }
        }
    }

    private static String text(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode() || n.isBoolean()) {
            throw TianshuException.invalid(field, field + " must be a string");
        }
        return n.asText();
    }

    private static long whole(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber()) {
            throw TianshuException.invalid(field, field + " must be a whole number, got " + n);
        }
        long v = n.asLong();
        if (v < 0) {
            throw TianshuException.invalid(field, field + " must be zero or more, got " + v);
        }
        return v;
    }

    private static double number(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isNumber()) {
            throw TianshuException.invalid(field, field + " must be a number, got " + n);
        }
        double v = n.asDouble();
        if (v < 0) {
            throw TianshuException.invalid(field, field + " must be zero or more, got " + n.asText());
        }
        return v;
    }

    private static <E extends Enum<E>> E choice(JsonNode n, String field, Class<E> type) {
        String t = text(n, field);
        if (t == null) {
            return null;
        }
        String name = t.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw TianshuException.invalid(field, field + " must be one of " + allowed + ", got '" + t + "'");
    }
}
