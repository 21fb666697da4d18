package org.tianshu.provisioning;

import org.tianshu.api.provisioning.Provisioning;

/** Told of every journal write of a provisioning saga, after it is committed. */
@FunctionalInterface
public interface JournalListener {
    /** Does nothing. */
    JournalListener NONE = p -> { };

    /** {@code p} is the record as just journalled. */
    void journalled(Provisioning p);
}
