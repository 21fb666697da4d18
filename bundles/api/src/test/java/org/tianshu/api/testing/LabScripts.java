package org.tianshu.api.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the project's lab scripts ({@code lab/*.sh}) from integration tests, so that every test that
 * needs a server starts it itself. Output goes through {@code System.out}: a test runner's forked JVM
 * owns the real stdout, and writing to it directly corrupts the runner's channel.
 */
public final class LabScripts {
    private LabScripts() {
    }

    /** The repository root: the nearest folder above the working directory that holds {@code lab/lib.sh}. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("lab/lib.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("no lab/ folder above " + Path.of("").toAbsolutePath());
    }

    /** Runs {@code lab/<script> args...}; fails on a non-zero exit. */
    public static void run(String script, String... args) {
        run(Map.of(), script, args);
    }

    /** Runs {@code lab/<script> args...} with extra environment variables; fails on a non-zero exit. */
    public static void run(Map<String, String> env, String script, String... args) {
        Path root = root();
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("lab").resolve(script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        String what = "lab/" + script + " " + String.join(" ", args);
        try {
            Process p = pb.start();
            p.getInputStream().transferTo(System.out);
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(what + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + what, e);
        }
    }
}
