package org.tianshu.integration;

/** Retries an assertion until it holds or five seconds pass (routes run on the bus's thread). */
final class Eventually {
    private Eventually() {
    }

    interface Check {
        void run() throws Exception;
    }

    static void await(Check check) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e instanceof AssertionError a ? a : new AssertionError(e);
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ie);
            }
        }
    }
}
