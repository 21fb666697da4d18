package org.tianshu.adapter.srv6;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.tianshu.api.TianshuException;

/**
 * iproute2 through processes: {@code ip -n NS -j -6|-4 -batch -} to read (one JSON array per command) and
 * {@code ip -n NS -6|-4 -batch -} to write many changes in one call. Needs root or CAP_NET_ADMIN.
 */
class IpRoute {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads the processes' output while their input is written: a full pipe would block both sides. */
    private static final ExecutorService DRAINS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "srv6-ip-output");
        t.setDaemon(true);
        return t;
    });
    private final String ip;
    private final Duration timeout;

    IpRoute(String ip, Duration timeout) {
        this.ip = ip;
        this.timeout = timeout;
    }

    /** Runs the show commands in a namespace for one address family; one JSON array per command, in order. */
    List<JsonNode> read(String namespace, int family, List<String> commands) {
        String out = run(List.of(ip, "-n", namespace, "-j", "-" + family, "-batch", "-"), String.join("\n", commands) + "\n");
        List<JsonNode> arrays = new ArrayList<>();
        // one root-level array after the other (a MappingIterator would unwrap the first array instead)
        try (var parser = JSON.createParser(out)) {
            for (JsonNode n; (n = JSON.readTree(parser)) != null;) {
                arrays.add(n);
            }
        } catch (IOException e) {
            throw upstream("unreadable output of ip -n " + namespace + " -j: " + e.getMessage());
        }
        if (arrays.size() != commands.size()) {
            throw upstream("ip -n " + namespace + " -j answered " + arrays.size() + " of " + commands.size() + " commands");
        }
        return arrays;
    }

    /** Applies the commands in a namespace for one address family, in order; stops at the first that fails. */
    void write(String namespace, int family, List<String> commands) {
        if (!commands.isEmpty()) {
            run(List.of(ip, "-n", namespace, "-" + family, "-batch", "-"), String.join("\n", commands) + "\n");
        }
    }

    /** Runs a command and returns its standard output; UPSTREAM on a non-zero exit other than those allowed. */
    String run(List<String> command, String input, int... allowedExits) {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw upstream("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the process ended before reading everything: its exit status and stderr say why
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw upstream(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
            int exit = p.exitValue();
            if (exit != 0 && java.util.Arrays.stream(allowedExits).noneMatch(a -> a == exit)) {
                throw upstream(String.join(" ", command) + " exited with " + exit + ": " + err.join().strip()
                        + (input.isEmpty() ? "" : " (input: " + abbreviate(input) + ")"));
            }
            return out.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw upstream("interrupted running " + command.get(0));
        }
    }

    private static String abbreviate(String input) {
        String one = input.strip().replace('\n', ';');
        return one.length() > 400 ? one.substring(0, 400) + "..." : one;
    }

    private static CompletableFuture<String> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                s.transferTo(b);
                return b.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, DRAINS);
    }

    static TianshuException upstream(String message) {
        return new TianshuException(TianshuException.Kind.UPSTREAM, null, message);
    }
}
