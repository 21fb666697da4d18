package org.tianshu.api.cloud;

import java.util.Locale;
import org.tianshu.api.TianshuException;

/** A virtual machine (OpenStack server) or a container workload (Kubernetes Deployment/StatefulSet). */
public enum WorkloadKind {
    VM, CONTAINER;

    /** The lower-case name used in files, REST and the shell. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()} (case-insensitive); INVALID naming {@code field} otherwise. */
    public static WorkloadKind parse(String field, String value) {
        if (value != null) {
            for (WorkloadKind k : values()) {
                if (k.id().equalsIgnoreCase(value.trim())) {
                    return k;
                }
            }
        }
        throw TianshuException.invalid(field, field + " must be vm or container; got '" + value + "'");
    }
}
