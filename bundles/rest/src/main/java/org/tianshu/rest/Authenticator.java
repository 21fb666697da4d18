package org.tianshu.rest;

import java.util.Optional;
import org.tianshu.api.Caller;

/** Checks a user name and password and says who the caller is. */
public interface Authenticator {
    /** The authenticated caller, or empty when the credentials are refused. */
    Optional<Caller> authenticate(String user, char[] password);
}
