package org.tianshu.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudDriver;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.CloudStatus;
import org.tianshu.api.cloud.Credentials;
import org.tianshu.persistence.Jdbc;

/**
 * Onboarded clouds and their credentials in the database, and one open session per cloud. Drivers
 * come and go with their adapter bundles; sessions of a driver that leaves are closed.
 */
public class CloudRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private final Jdbc jdbc;
    private final Function<CloudKind, CloudDriver> drivers;
    private final Map<String, CloudSession> sessions = new ConcurrentHashMap<>();

    /** @param drivers the driver of a kind, or null when no adapter for it is installed */
    public CloudRegistry(Jdbc jdbc, Function<CloudKind, CloudDriver> drivers) {
        this.jdbc = jdbc;
        this.drivers = drivers;
    }

    public void putCredentials(Credentials credentials) {
        Validation.id("ref", credentials.ref());
        String json = write(credentials.values());
        jdbc.tx(c -> {
            if (jdbc.update("UPDATE credential SET secret_json = ?, updated_at = ? WHERE ref = ?", json, Instant.now(),
                    credentials.ref()) == 0) {
                jdbc.update("INSERT INTO credential(ref, secret_json, updated_at) VALUES (?, ?, ?)", credentials.ref(), json,
                        Instant.now());
            }
            return null;
        });
        // sessions opened with the old secret must not outlive it
        jdbc.query("SELECT id FROM cloud WHERE credentials_ref = ?", rs -> rs.getString(1), credentials.ref())
                .forEach(this::closeSession);
    }

    public Cloud register(Cloud cloud) {
        Cloud valid = validate(cloud);
        if (jdbc.one("SELECT 1 FROM cloud WHERE id = ?", rs -> 1, valid.id()).isPresent()) {
            throw TianshuException.conflict("id", "cloud '" + valid.id() + "' is already onboarded");
        }
        CloudSession session = open(valid);
        try {
            jdbc.update("INSERT INTO cloud(id, name, kind, city, region, security_zone, xinchuang, endpoint, credentials_ref,"
                    + " options_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", valid.id(), valid.name(),
                    valid.kind(), valid.city(), valid.region(), valid.securityZone(), valid.xinchuang(), valid.endpoint(),
                    valid.credentialsRef(), write(valid.options()), Instant.now());
        } catch (RuntimeException e) {
            session.close();
            if (Jdbc.isDuplicateKey(e)) {
                throw TianshuException.conflict("id", "cloud '" + valid.id() + "' is already onboarded");
            }
            throw e;
        }
        CloudSession previous = sessions.put(valid.id(), session);
        if (previous != null) {
            previous.close();
        }
        return valid;
    }

    public void unregister(String id) {
        get(id);
        jdbc.tx(c -> {
            long live = jdbc.one("SELECT COUNT(*) FROM provisioning WHERE cloud_id = ? AND state NOT IN ('DELETED', 'FAILED')",
                    rs -> rs.getLong(1), id).orElse(0L);
            if (live > 0) {
                throw TianshuException.conflict("cloud", "cloud '" + id + "' still has " + live
                        + " workload(s) provisioned by Tianshu; delete them first");
            }
            return jdbc.update("DELETE FROM cloud WHERE id = ?", id);
        });
        closeSession(id);
    }

    public List<Cloud> list() {
        return jdbc.query("SELECT * FROM cloud ORDER BY id", this::cloud);
    }

    public Cloud get(String id) {
        return jdbc.one("SELECT * FROM cloud WHERE id = ?", this::cloud, id)
                .orElseThrow(() -> TianshuException.notFound("cloud", "cloud", id));
    }

    public CloudStatus status(String id) {
        get(id);
        return jdbc.one("SELECT id, last_sync, reachable, sync_error, host_count, workload_count FROM cloud WHERE id = ?",
                rs -> new CloudStatus(rs.getString(1), Jdbc.instant(rs, "last_sync"), rs.getBoolean(3), rs.getString(4),
                        rs.getInt(5), rs.getInt(6)), id).orElseThrow();
    }

    public CloudSession session(String id) {
        CloudSession s = sessions.get(id);
        if (s != null) {
            return s;
        }
        Cloud cloud = get(id);
        return sessions.computeIfAbsent(id, k -> open(cloud));
    }

    /** Forgets the session of a cloud, e.g. after it failed; the next use reopens it. */
    public void closeSession(String id) {
        CloudSession s = sessions.remove(id);
        if (s != null) {
            s.close();
        }
    }

    /** Closes the sessions of clouds of {@code kind} (their driver went away). */
    public void closeSessions(CloudKind kind) {
        list().stream().filter(c -> c.kind() == kind).forEach(c -> closeSession(c.id()));
    }

    public void closeAll() {
        sessions.keySet().forEach(this::closeSession);
    }

    private CloudSession open(Cloud cloud) {
        CloudDriver driver = drivers.apply(cloud.kind());
        if (driver == null) {
            throw TianshuException.conflict("kind", "no adapter for " + cloud.kind().id() + " clouds is installed");
        }
        Credentials credentials = jdbc.one("SELECT secret_json FROM credential WHERE ref = ?",
                rs -> new Credentials(cloud.credentialsRef(), read(rs.getString(1))), cloud.credentialsRef())
                .orElseThrow(() -> TianshuException.notFound("credentialsRef", "credentials", cloud.credentialsRef()));
        return driver.open(cloud, credentials);
    }

    static Cloud validate(Cloud c) {
        Validation.id("id", c.id());
        if (c.kind() == null) {
            throw TianshuException.invalid("kind", "kind is required (openstack or kubernetes)");
        }
        Validation.required("city", c.city());
        Validation.required("endpoint", c.endpoint());
        Validation.id("credentialsRef", c.credentialsRef());
        if (c.securityZone() < 1 || c.securityZone() > 4) {
            throw TianshuException.invalid("securityZone", "securityZone must be an MLPS level from 1 to 4, got " + c.securityZone());
        }
        try {
            URI uri = new URI(c.endpoint());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw TianshuException.invalid("endpoint", "endpoint must be an http(s) URL with a host, got '" + c.endpoint() + "'");
            }
        } catch (URISyntaxException e) {
            throw TianshuException.invalid("endpoint", "endpoint is not a URL: " + e.getMessage());
        }
        String name = c.name() == null || c.name().isBlank() ? c.id() : c.name().trim();
        return new Cloud(c.id(), name, c.kind(), c.city().trim(), c.region(), c.securityZone(), c.xinchuang(),
                c.endpoint().trim(), c.credentialsRef(), c.options());
    }

    private Cloud cloud(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Cloud(rs.getString("id"), rs.getString("name"), CloudKind.valueOf(rs.getString("kind")),
                rs.getString("city"), rs.getString("region"), rs.getInt("security_zone"), rs.getBoolean("xinchuang"),
                rs.getString("endpoint"), rs.getString("credentials_ref"), read(rs.getString("options_json")));
    }

    private static String write(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> read(String json) {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in database: " + e.getMessage(), e);
        }
    }
}
