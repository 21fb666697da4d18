package org.tianshu.quota;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tianshu.api.Resources;
import org.tianshu.api.TianshuException;
import org.tianshu.api.tenancy.QuotaService;

/** Fires {@code n} one-instance reservations at once and counts the ones that succeed. */
final class ConcurrentReservations {
    private ConcurrentReservations() {
    }

    static int run(QuotaService quotas, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "req-" + i;
            Callable<Boolean> task = () -> {
                start.await();
                try {
                    quotas.reserve(id, "health", "chengdu", new Resources(500, 256, 0, 0), 1);
                    return true;
                } catch (TianshuException e) {
                    if (e.kind() != TianshuException.Kind.CONFLICT) {
                        throw e;
                    }
                    return false;
                }
            };
            results.add(pool.submit(task));
        }
        start.countDown();
        int ok = 0;
        for (Future<Boolean> f : results) {
            ok += f.get() ? 1 : 0;
        }
        pool.shutdown();
        return ok;
    }
}
