package org.tianshu.dr;

import java.time.Duration;

/** Wall time during which at least one call to a cloud was in flight (the union of the calls' intervals). */
final class BusyClock {
    private int inFlight;
    private long since;
    private long total;

    synchronized void enter() {
        if (inFlight++ == 0) {
            since = System.nanoTime();
        }
    }

    synchronized void exit() {
        if (--inFlight == 0) {
            total += System.nanoTime() - since;
        }
    }

    /** The busy time so far, including a call still in flight. */
    synchronized Duration total() {
        return Duration.ofNanos(inFlight > 0 ? total + System.nanoTime() - since : total);
    }
}
