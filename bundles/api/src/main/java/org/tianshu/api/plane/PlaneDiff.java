package org.tianshu.api.plane;

import java.util.List;

/**
 * What applying an intent would change (a dry run), or did change: admission already checked, nothing reserved.
 *
 * @param plane   the plane's name
 * @param exists  whether the plane exists already (an update) or would be created
 * @param changes the changes in order: plane, sites, prefixes, paths; empty when the intent is already realised
 * @param planned the realisation the network would carry
 */
public record PlaneDiff(String plane, boolean exists, List<PlaneChange> changes, PlaneRealisation planned) {
    /** Copies the change list. */
    public PlaneDiff {
        changes = List.copyOf(changes);
    }

    /** True when applying would change nothing. */
    public boolean empty() {
        return changes.isEmpty();
    }
}
