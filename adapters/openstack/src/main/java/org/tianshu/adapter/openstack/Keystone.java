package org.tianshu.adapter.openstack;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.AuthenticationException;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;
import org.tianshu.api.TianshuException;
import org.tianshu.api.cloud.Cloud;

/**
 * Keystone v3 password authentication for one cloud: the session's own project scope plus one
 * token per department project, renewed before they expire. OpenStack4j binds a client to the
 * calling thread, so every call asks here for a client bound to the current thread.
 */
final class Keystone {
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    /** Key of the token scoped to the credentials' own project. */
    private static final String HOME = "";

    private final Cloud cloud;
    private final OpenStackOptions options;
    private final Config config;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    Keystone(Cloud cloud, OpenStackOptions options) {
        this.cloud = cloud;
        this.options = options;
        this.config = Config.newConfig().withConnectionTimeout(options.connectTimeoutMs())
                .withReadTimeout(options.readTimeoutMs());
    }

    /** A client scoped to the credentials' own project, authenticating first if needed. */
    OSClientV3 client() {
        return bind(token(HOME));
    }

    /** A client scoped to project {@code projectId}. */
    OSClientV3 client(String projectId) {
        return bind(token(projectId));
    }

    /**
     * A client scoped to project {@code projectId} whose token carries role {@code role}: a cached token issued
     * before the role was granted is renewed.
     */
    OSClientV3 client(String projectId, String role) {
        Token t = token(projectId);
        if (t.getRoles() == null || t.getRoles().stream().noneMatch(r -> role.equals(r.getName()))) {
            t = authenticate(projectId);
            tokens.put(projectId, t);
        }
        return bind(t);
    }

    /** The authenticated user's id. */
    String userId() {
        return token(HOME).getUser().getId();
    }

    /** The id of the project the credentials name. */
    String homeProjectId() {
        return token(HOME).getProject().getId();
    }

    void forget() {
        tokens.clear();
    }

    private OSClientV3 bind(Token token) {
        OSClientV3 os = OSFactory.clientFromToken(token, config);
        if (cloud.region() != null && !cloud.region().isBlank()) {
            os.useRegion(cloud.region());
        }
        return os;
    }

    private Token token(String projectId) {
        Token t = tokens.get(projectId);
        if (t == null || t.getExpires() == null
                || t.getExpires().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
            t = authenticate(projectId);
            tokens.put(projectId, t);
        }
        return t;
    }

    private Token authenticate(String projectId) {
        var builder = OSFactory.builderV3().withConfig(config).endpoint(cloud.endpoint())
                .credentials(options.username(), options.password(), Identifier.byName(options.userDomain()));
        builder = HOME.equals(projectId)
                ? builder.scopeToProject(Identifier.byName(options.project()), Identifier.byName(options.projectDomain()))
                : builder.scopeToProject(Identifier.byId(projectId));
        String who = "user '" + options.username() + "' (domain " + options.userDomain() + ") on project '"
                + (HOME.equals(projectId) ? options.project() : projectId) + "'";
        try {
            return builder.authenticate().getToken();
        } catch (AuthenticationException e) {
            throw new TianshuException(TianshuException.Kind.INVALID, "credentials", "cloud " + cloud.id()
                    + ": Keystone at " + cloud.endpoint() + " refused " + who + ": " + e.getMessage(), e);
        } catch (ConnectionException e) {
            throw unreachable(e);
        } catch (ResponseException e) {
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "endpoint", "cloud " + cloud.id() + ": "
                    + cloud.endpoint() + " answered HTTP " + e.getStatus() + " to authentication of " + who
                    + " (is it a Keystone v3 URL?): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (hasIoCause(e)) {
                throw unreachable(e);
            }
            throw new TianshuException(TianshuException.Kind.UPSTREAM, "endpoint", "cloud " + cloud.id()
                    + ": authentication at " + cloud.endpoint() + " failed: " + e, e);
        }
    }

    TianshuException unreachable(RuntimeException e) {
        return new TianshuException(TianshuException.Kind.UPSTREAM, "endpoint", "cloud " + cloud.id()
                + ": cannot reach OpenStack at " + cloud.endpoint() + ": " + e.getMessage(), e);
    }

    static boolean hasIoCause(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.io.IOException || c instanceof ConnectionException) {
                return true;
            }
        }
        return false;
    }
}
