package org.tianshu.dr;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tianshu.api.TianshuException;
import org.tianshu.api.dr.Hook;

/** Runs recovery hooks with their timeouts; a failed or late hook is an UPSTREAM failure naming the hook. */
final class Hooks {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Hooks() {
    }

    /** Runs {@code hook} with {@code ${key}} of its target replaced from {@code vars}; returns what it answered. */
    static String run(Hook hook, Map<String, String> vars) {
        String target = hook.target();
        for (Map.Entry<String, String> v : vars.entrySet()) {
            target = target.replace("${" + v.getKey() + "}", v.getValue());
        }
        return switch (hook.kind()) {
            case SCRIPT -> script(hook, target, vars);
            case HTTP -> http(hook, target);
        };
    }

    private static String script(Hook hook, String command, Map<String, String> vars) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
        vars.forEach((k, v) -> pb.environment().put("TIANSHU_DR_" + k.toUpperCase(java.util.Locale.ROOT), v));
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(hook.timeoutSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw fail(hook, "timed out after " + hook.timeoutSeconds() + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String tail = out.length() > 500 ? out.substring(out.length() - 500) : out;
            if (p.exitValue() != 0) {
                throw fail(hook, "exited with " + p.exitValue() + (tail.isEmpty() ? "" : ": " + tail));
            }
            return "exit 0" + (tail.isEmpty() ? "" : ": " + tail);
        } catch (IOException e) {
            throw fail(hook, "cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(hook, "interrupted");
        }
    }

    private static String http(Hook hook, String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(
                    hook.timeoutSeconds())).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw fail(hook, "GET " + url + " answered HTTP " + r.statusCode());
            }
            return "HTTP " + r.statusCode();
        } catch (java.net.http.HttpTimeoutException e) {
            throw fail(hook, "GET " + url + " timed out after " + hook.timeoutSeconds() + " s");
        } catch (IOException e) {
            throw fail(hook, "GET " + url + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(hook, "interrupted");
        }
    }

    private static TianshuException fail(Hook hook, String why) {
        return new TianshuException(TianshuException.Kind.UPSTREAM, "hooks", "hook '" + hook.name() + "' " + why);
    }
}
