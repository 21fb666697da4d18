package org.tianshu.api;

/**
 * An amount of compute: CPU in millicores (a vCPU is 1000), memory in MiB, disk in GiB, GPUs.
 *
 * @param cpuMillis CPU in thousandths of a core
 * @param memoryMiB memory in MiB
 * @param diskGiB disk in GiB
 * @param gpus number of GPUs
 */
public record Resources(long cpuMillis, long memoryMiB, long diskGiB, long gpus) {
    /** Nothing. */
    public static final Resources ZERO = new Resources(0, 0, 0, 0);

    /** Component-wise sum. */
    public Resources plus(Resources o) {
        return new Resources(cpuMillis + o.cpuMillis, memoryMiB + o.memoryMiB, diskGiB + o.diskGiB, gpus + o.gpus);
    }

    /** Component-wise difference. */
    public Resources minus(Resources o) {
        return new Resources(cpuMillis - o.cpuMillis, memoryMiB - o.memoryMiB, diskGiB - o.diskGiB, gpus - o.gpus);
    }

    /** Every component multiplied by {@code n}. */
    public Resources times(long n) {
        return new Resources(cpuMillis * n, memoryMiB * n, diskGiB * n, gpus * n);
    }

    /** True if every component of {@code o} is at most this one's. */
    public boolean covers(Resources o) {
        return cpuMillis >= o.cpuMillis && memoryMiB >= o.memoryMiB && diskGiB >= o.diskGiB && gpus >= o.gpus;
    }
}
