package org.tianshu.planes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import inet.ipaddr.IPAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.plane.AddressFamily;
import org.tianshu.api.plane.AddressPolicy;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.LegacySite;
import org.tianshu.api.plane.Migration;
import org.tianshu.api.plane.MigrationPlan;
import org.tianshu.api.plane.PlaneIntent;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.PlaneSite;
import org.tianshu.api.plane.SiteBinding;
import org.tianshu.persistence.Jdbc;

/**
 * Migrations of private networks into planes: the imported plan and the sites cut over so far. A cut-over is a plane
 * change like any other (the caller applies the intent {@link #withSites} builds); only a successful one is recorded.
 */
final class Migrations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jdbc jdbc;

    Migrations(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Checks a plan against the controller's attachments; INVALID naming the field. */
    static void validate(MigrationPlan plan, List<Attachment> attachments) {
        Validation.id("network", plan.network());
        if (plan.plane() == null) {
            throw TianshuException.invalid("plane", "plane: the target plane's settings are required");
        }
        Validation.id("plane.name", plan.plane().name());
        if (plan.sites().isEmpty()) {
            throw TianshuException.invalid("sites", "sites: the private network's sites are required");
        }
        Set<String> names = new HashSet<>();
        plan.plane().sites().forEach(s -> names.add(s.name()));
        Set<Attachment> known = new HashSet<>(attachments);
        List<IPAddress> seen = new ArrayList<>();
        List<String> seenField = new ArrayList<>();
        for (int i = 0; i < plan.sites().size(); i++) {
            LegacySite s = plan.sites().get(i);
            String f = "sites[" + i + "]";
            Validation.id(f + ".name", s.name());
            if (!names.add(s.name())) {
                throw TianshuException.invalid(f + ".name", "site '" + s.name() + "' is declared twice");
            }
            if (s.attachment() == null || !known.contains(s.attachment())) {
                throw TianshuException.invalid(f + ".attachment", "unknown attachment " + s.attachment() + " for site '" + s.name() + "'");
            }
            if (s.ipv4Prefix() != null && s.policy() == AddressPolicy.KEEP && plan.plane().addressFamily() == AddressFamily.IPV6_ONLY) {
                throw TianshuException.invalid(f + ".ipv4Prefix", "plane '" + plan.plane().name() + "' is IPv6-only: site '" + s.name()
                        + "' cannot keep IPv4 prefix " + s.ipv4Prefix() + " (map it, or make the plane dual-stack)");
            }
            for (String[] p : new String[][] {{"ipv6Prefix", s.ipv6Prefix()}, {"ipv4Prefix", s.ipv4Prefix()}}) {
                if (p[1] == null) {
                    continue;
                }
                String field = f + "." + p[0];
                IPAddress a = PrefixPlanner.parse(p[1]);
                if (a == null || a.isIPv6() != p[0].equals("ipv6Prefix") || a.getNetworkPrefixLength() == null || !a.isPrefixBlock()) {
                    throw TianshuException.invalid(field, field + " must be a prefix with no host bits set, got '" + p[1] + "'");
                }
                for (int j = 0; j < seen.size(); j++) {
                    if (seen.get(j).overlaps(a)) {
                        throw TianshuException.invalid(field, field + " " + a + " overlaps " + seen.get(j) + " of " + seenField.get(j));
                    }
                }
                seen.add(a);
                seenField.add(f);
            }
        }
    }

    void insert(MigrationPlan plan) {
        try {
            jdbc.update("INSERT INTO plane_migration(network, plane, plan_json, cut_over, created_at) VALUES (?, ?, ?, ?, ?)",
                    plan.network(), plan.plane().name(), PlaneStore.write(plan), "[]", Instant.now());
        } catch (RuntimeException e) {
            if (Jdbc.isDuplicateKey(e)) {
                throw TianshuException.conflict("network", "private network '" + plan.network() + "' is imported already");
            }
            throw e;
        }
    }

    /** The plan and the names of the sites cut over. */
    record Row(MigrationPlan plan, List<String> cutOver) {
    }

    Optional<Row> row(String network) {
        return jdbc.one("SELECT plan_json, cut_over FROM plane_migration WHERE network = ?",
                rs -> new Row(PlaneStore.read(rs.getString(1), MigrationPlan.class), names(rs.getString(2))), network);
    }

    void cutOver(String network, List<String> sites) {
        Row row = row(network).orElseThrow();
        Set<String> all = new LinkedHashSet<>(row.cutOver());
        all.addAll(sites);
        jdbc.update("UPDATE plane_migration SET cut_over = ? WHERE network = ?", PlaneStore.write(List.copyOf(all)), network);
    }

    /**
     * The plane's intent with {@code sites} of the plan added: kept sites bring their prefixes, mapped ones none (the
     * planner gives them prefixes). {@code current} is the plane's intent, or null when the plane does not exist yet.
     */
    static PlaneIntent withSites(Row row, PlaneIntent current, List<String> sites) {
        PlaneIntent base = current != null ? current : row.plan().plane();
        Map<String, LegacySite> legacy = new HashMap<>();
        row.plan().sites().forEach(s -> legacy.put(s.name(), s));
        List<PlaneSite> all = new ArrayList<>(base.sites());
        Set<String> asked = new HashSet<>();
        for (int i = 0; i < sites.size(); i++) {
            String name = sites.get(i);
            LegacySite s = legacy.get(name);
            if (s == null) {
                throw TianshuException.notFound("sites[" + i + "]", "site of private network '" + row.plan().network() + "'", name);
            }
            if (row.cutOver().contains(name) || !asked.add(name)) {
                throw TianshuException.conflict("sites[" + i + "]", "site '" + name + "' is cut over already");
            }
            boolean keep = s.policy() == AddressPolicy.KEEP;
            all.add(new PlaneSite(s.name(), s.attachment(), keep ? s.ipv6Prefix() : null,
                    keep && base.addressFamily() == AddressFamily.DUAL_STACK ? s.ipv4Prefix() : null));
        }
        return new PlaneIntent(base.name(), base.departments(), all, base.connectivity(), base.hub(), base.isolation(), base.slo(),
                base.protection(), base.addressFamily());
    }

    /** The migration's progress, with the prefixes each cut-over site has in the plane. */
    static Migration view(Row row, PlaneRealisation realisation) {
        Map<String, SiteBinding> bound = new HashMap<>();
        if (realisation != null) {
            realisation.sites().forEach(b -> bound.put(b.site(), b));
        }
        List<Migration.Site> sites = new ArrayList<>();
        for (LegacySite s : row.plan().sites()) {
            SiteBinding b = row.cutOver().contains(s.name()) ? bound.get(s.name()) : null;
            sites.add(new Migration.Site(s, b != null, b == null ? null : b.ipv6Prefix(), b == null ? null : b.ipv4Prefix()));
        }
        return new Migration(row.plan(), sites);
    }

    private static List<String> names(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable cut-over list: " + e.getMessage(), e);
        }
    }
}
