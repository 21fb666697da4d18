package org.tianshu.api.cloud;

import java.util.Locale;
import org.tianshu.api.TianshuException;

/** The kinds of cloud Tianshu onboards; each is served by one {@link CloudDriver}. */
public enum CloudKind {
    OPENSTACK, KUBERNETES;

    /** The lower-case name used in files, REST and the shell. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()} (case-insensitive); INVALID naming {@code field} otherwise. */
    public static CloudKind parse(String field, String value) {
        if (value != null) {
            for (CloudKind k : values()) {
                if (k.id().equalsIgnoreCase(value.trim())) {
                    return k;
                }
            }
        }
        throw TianshuException.invalid(field, field + " must be one of openstack, kubernetes; got '" + value + "'");
    }
}
