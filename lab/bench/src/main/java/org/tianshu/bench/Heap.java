package org.tianshu.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Heap figures of this JVM: used heap after a full GC; since the last {@link #resetPeak()}, the peak of used heap
 * seen by the collector (just before each collection: grows with the heap the JVM may use) and the largest heap
 * left after a collection (what the work actually held).
 */
final class Heap {
    private static final long MIB = 1024 * 1024;
    private static final AtomicLong PEAK = new AtomicLong();
    private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();

    static {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long before = info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
                        .filter(e -> isHeap(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> isHeap(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                PEAK.accumulateAndGet(before, Math::max);
                PEAK_AFTER_GC.accumulateAndGet(after, Math::max);
            }, null, null);
        }
    }

    private Heap() {
    }

    private static boolean isHeap(String pool) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(p -> p.getName().equals(pool) && p.getType() == java.lang.management.MemoryType.HEAP);
    }

    /** Used heap in MiB after full collections. */
    static long usedAfterGcMiB() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return used() / MIB;
    }

    static void resetPeak() {
        PEAK.set(used());
        PEAK_AFTER_GC.set(0);
    }

    /** Largest heap left after a collection since {@link #resetPeak()}: an upper bound of the live set. */
    static long peakAfterGcMiB() {
        return PEAK_AFTER_GC.get() / MIB;
    }

    /** Peak used heap in MiB since {@link #resetPeak()}, as seen before each GC and now. */
    static long peakMiB() {
        return Math.max(PEAK.get(), used()) / MIB;
    }

    static long maxMiB() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / MIB;
    }

    private static long used() {
        MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return u.getUsed();
    }
}
