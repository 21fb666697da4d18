package org.tianshu.api.dr;

/** How a recovery hook runs. */
public enum HookKind {
    /** A shell command on the Tianshu host; exit status 0 passes. */
    SCRIPT,
    /** An HTTP GET; a 2xx answer passes. */
    HTTP
}
