package org.tianshu.rest;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.tianshu.api.Caller;

/**
 * Logs in against a JAAS realm (Karaf's {@code karaf} realm by default). Roles come from the
 * subject's {@link RolePrincipal}s; the name from its {@link UserPrincipal}, else the user name given.
 */
public final class JaasAuthenticator implements Authenticator {
    private final String realm;
    private final Configuration configuration;

    /** Uses the JVM-wide JAAS configuration, which Karaf's JAAS bundle provides. */
    public JaasAuthenticator(String realm) {
        this(realm, null);
    }

    /** Uses {@code configuration} (tests), or the JVM-wide one when null. */
    public JaasAuthenticator(String realm, Configuration configuration) {
        this.realm = realm;
        this.configuration = configuration;
    }

    @Override
    public Optional<Caller> authenticate(String user, char[] password) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Karaf's JAAS configuration finds login modules through the context class loader.
        thread.setContextClassLoader(JaasAuthenticator.class.getClassLoader());
        try {
            Subject subject = new Subject();
            LoginContext login = new LoginContext(realm, subject, callbacks -> handle(callbacks, user, password),
                    configuration);
            login.login();
            Set<String> roles = subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName)
                    .collect(Collectors.toSet());
            String name = subject.getPrincipals(UserPrincipal.class).stream().map(Principal::getName).findFirst()
                    .orElse(user);
            login.logout();
            return Optional.of(new Caller(name, roles));
        } catch (LoginException e) {
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void handle(Callback[] callbacks, String user, char[] password)
            throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(user);
            } else if (callback instanceof PasswordCallback pass) {
                pass.setPassword(password);
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }
}
