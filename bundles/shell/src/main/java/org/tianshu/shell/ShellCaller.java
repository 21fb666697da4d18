package org.tianshu.shell;

import java.security.AccessController;
import java.security.Principal;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.tianshu.api.Caller;

/** The {@link Caller} of a shell command: the JAAS subject Karaf runs the session as. */
final class ShellCaller {
    private ShellCaller() {
    }

    /** The logged-in user with its roles; {@link Caller#SYSTEM} when the session has no subject. */
    @SuppressWarnings("removal")
    static Caller current() {
        return of(Subject.getSubject(AccessController.getContext()));
    }

    static Caller of(Subject subject) {
        if (subject == null) {
            return Caller.SYSTEM;
        }
        Set<String> roles = subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName)
                .collect(Collectors.toSet());
        String name = subject.getPrincipals(UserPrincipal.class).stream().map(Principal::getName).findFirst()
                .orElse("unknown");
        return new Caller(name, roles);
    }
}
