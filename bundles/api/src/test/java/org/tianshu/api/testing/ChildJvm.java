package org.tianshu.api.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A main class run in a JVM of its own on the test's class path, for crash tests: the child reports what it started
 * on a line of its output, the test waits until the work is in flight, and {@link #close()} kills the child -9 (no
 * shutdown hook runs). System properties {@code tianshu.test.*} (e.g. the database URL) are passed on. The child's
 * output is copied to {@code System.out}.
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BufferedReader out;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code main} with {@code args}. */
    public static ChildJvm start(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("tianshu.test.")) {
                cmd.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        try {
            return new ChildJvm(main.getSimpleName(), new ProcessBuilder(cmd).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + main.getName(), e);
        }
    }

    /** The rest of the first line of output that starts with {@code prefix}; fails when the child ends first. */
    public String await(String prefix) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("[" + name + "] " + line);
                if (line.startsWith(prefix)) {
                    Thread copy = new Thread(this::copyOutput, name + "-output");
                    copy.setDaemon(true);
                    copy.start();
                    return line.substring(prefix.length());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the output of " + name, e);
        }
        throw new AssertionError(name + " ended without reporting '" + prefix + "'");
    }

    /** The rest of the child's output, so it never blocks on a full pipe. */
    private void copyOutput() {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("[" + name + "] " + line);
            }
        } catch (IOException e) {
            // the child was killed
        }
    }

    /** Polls {@code condition} every 50 ms until it holds; fails naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Kills the child -9 and waits until it is gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
