package org.tianshu.scheduler;

import java.util.concurrent.locks.ReentrantLock;
import org.tianshu.api.cloud.Host;

/**
 * One host in the engine's snapshot. Its effective capacity (after the cloud's overcommit ratios) and its free
 * capacity live in its cloud's arrays ({@link CloudState#cap}, {@link CloudState#free}, four longs per host) so
 * that a search scans memory in order. Free capacity only changes under {@link #lock}; searches read it without
 * locking and every claim re-checks it under the lock.
 */
final class Slot {
    final int index;
    final CloudState cloud;
    /** Position in the cloud's arrays. */
    final int local;
    final Host host;
    /** "cloud/host", the key that survives a refresh of the snapshot. */
    final String key;
    /** "cloud/zone": the unit of zone spreading. */
    final String zoneKey;
    final boolean up;
    final ReentrantLock lock = new ReentrantLock();

    Slot(int index, CloudState cloud, int local, Host host) {
        this.index = index;
        this.cloud = cloud;
        this.local = local;
        this.host = host;
        this.key = host.cloudId() + "/" + host.name();
        this.zoneKey = host.cloudId() + "/" + (host.zone() == null ? "" : host.zone());
        this.up = host.up() && cloud.usable();
    }

    long cap(int dim) {
        return cloud.cap[4 * local + dim];
    }

    long free(int dim) {
        return (long) CloudState.LONGS.getOpaque(cloud.free, 4 * local + dim);
    }

    /** Adds {@code d} (cpu, memory, disk, gpus) to what is free; negative to take. Caller holds the lock. */
    void add(long[] d, int sign) {
        for (int i = 0; i < 4; i++) {
            CloudState.LONGS.setOpaque(cloud.free, 4 * local + i, free(i) + sign * d[i]);
        }
    }

    /** True if {@code d} fits in what is free now. */
    boolean fits(long[] d) {
        return free(0) >= d[0] && free(1) >= d[1] && free(2) >= d[2] && free(3) >= d[3];
    }
}
