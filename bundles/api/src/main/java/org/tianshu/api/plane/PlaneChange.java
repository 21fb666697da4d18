package org.tianshu.api.plane;

/**
 * One line of a plane diff.
 *
 * @param kind    added, changed or removed
 * @param what    what changed: {@code plane}, {@code site}, {@code prefix}, {@code path}, {@code bandwidth},
 *                {@code latency}, {@code protection}, {@code connectivity}
 * @param subject which one, e.g. the site name or the site pair {@code hz~nb}
 * @param before  the value before; null when added
 * @param after   the value after; null when removed
 */
public record PlaneChange(Kind kind, String what, String subject, String before, String after) {
    /** The kind of a change. */
    public enum Kind {
        /** Not there before. */
        ADDED,
        /** There before, with another value. */
        CHANGED,
        /** Gone. */
        REMOVED
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ADDED -> "+ " + what + " " + subject + ": " + after;
            case REMOVED -> "- " + what + " " + subject + ": " + before;
            case CHANGED -> "~ " + what + " " + subject + ": " + before + " -> " + after;
        };
    }
}
