package org.tianshu.bench;

import static org.tianshu.bench.Bench.figure;
import static org.tianshu.bench.Bench.load;
import static org.tianshu.bench.Bench.median;
import static org.tianshu.bench.Bench.note;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import inet.ipaddr.IPAddressString;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code reroute} scenario: a link failure in the running runtime ({@code lab/up.sh}: Tianshu with the srv6
 * adapter on the kernel lab, the demo planes), measured from the outside. For each sample it takes an unprotected
 * plane's primary policy, pings across it from the source site's host every 10 ms ({@code ping -D -O}), sets a link
 * of its path down on both ends ({@code ip link set down}, as {@code lab/srv6.sh impair LINK down} does) and times
 * until the far host answers again. Between the two lies the whole chain of the runtime: the link watcher sees the
 * change, LINK_DOWN goes through the event bus to the Camel link-down route, the planes re-synchronise the topology,
 * re-route every reservation on the link and push the new segment lists through the adapter. The link is then
 * cleared ({@code lab/srv6.sh clear}) and the planes left to settle. Properties: {@code bench.api} (default
 * http://127.0.0.1:8181/api/v1), {@code bench.reroute.samples} (default 3), {@code bench.reroute.prefix} (the lab's
 * namespace prefix, default ts-).
 */
final class RerouteBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code [1795451523.713306] 64 bytes from ...: icmp_seq=255 ...} and {@code [...] no answer yet for icmp_seq=254}. */
    private static final Pattern PING = Pattern.compile("^\\[(\\d+\\.\\d+)] (?:\\d+ bytes from .*icmp_seq=(\\d+)|no answer yet for icmp_seq=(\\d+))");

    private final String api = System.getProperty("bench.api", "http://127.0.0.1:8181/api/v1");
    private final int samples = Integer.getInteger("bench.reroute.samples", 3);
    private final String prefix = System.getProperty("bench.reroute.prefix", "ts-");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String auth = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
    private final Path root;

    RerouteBench(Path root) {
        this.root = root;
    }

    /** One unprotected primary policy crossing {@code link}. */
    private record Target(String plane, String from, String to, String link, String hostNamespace, String address) {
    }

    void run() throws Exception {
        List<Double> restored = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < samples; i++) {
            // read again each time: the planes re-routed after the last failure
            Target t = target(used);
            if (t == null) {
                break;
            }
            used.add(t.link());
            double ms = sample(t);
            restored.add(ms);
            figure("reroute: link %s down under plane %s (%s -> %s, unprotected): traffic answered again %.0f ms later (load %s)",
                    t.link(), t.plane(), t.from(), t.to(), ms, load());
        }
        if (restored.isEmpty()) {
            throw new IllegalStateException("no unprotected plane with a routed policy in " + api + " (run lab/up.sh first)");
        }
        figure("reroute: link failure -> traffic restored through the running runtime (watcher, LINK_DOWN, Camel route, topology sync,"
                + " re-route, push): median %.0f ms, max %.0f ms over %d links, 2 cores, load %s",
                median(restored), restored.stream().mapToDouble(Double::doubleValue).max().orElse(0), restored.size(), load());
    }

    /** A primary policy of an unprotected plane, VERIFIED again after the last sample, crossing a link not yet used. */
    private Target target(Set<String> used) throws IOException, InterruptedException {
        for (JsonNode summary : get("/planes")) {
            String name = summary.path("intent").path("name").asText();
            if (!"NONE".equals(summary.path("intent").path("protection").asText())) {
                continue;
            }
            JsonNode plane = awaitVerified(name);
            JsonNode sites = plane.path("realisation").path("sites");
            for (JsonNode policy : plane.path("realisation").path("policies")) {
                JsonNode path = policy.path("path").path("links");
                String link = path.isEmpty() ? null : path.get(path.size() / 2).asText();
                if (link == null || policy.path("backup").asBoolean() || used.contains(link)) {
                    continue;
                }
                JsonNode from = site(sites, policy.path("from").asText());
                JsonNode to = site(sites, policy.path("to").asText());
                String ns = prefix + "h-" + from.path("attachment").path("router").asText() + "-"
                        + from.path("attachment").path("port").asText();
                // the host behind a site has its prefix's first address
                String address = new IPAddressString(to.path("ipv6Prefix").asText()).getAddress().getLower()
                        .increment(1).withoutPrefixLength().toCanonicalString();
                return new Target(name, policy.path("from").asText(), policy.path("to").asText(), link, ns, address);
            }
        }
        return null;
    }

    private static JsonNode site(JsonNode sites, String name) {
        for (JsonNode s : sites) {
            if (s.path("site").asText().equals(name)) {
                return s;
            }
        }
        throw new IllegalStateException("site " + name + " not in the realisation");
    }

    /** Milliseconds from setting the link down to the first answer after the outage. */
    private double sample(Target t) throws Exception {
        Process ping = new ProcessBuilder("ip", "netns", "exec", t.hostNamespace(), "ping", "-6", "-D", "-O", "-n", "-i", "0.01",
                "-W", "1", t.address()).redirectErrorStream(true).start();
        BlockingQueue<double[]> replies = new LinkedBlockingQueue<>(); // {epoch seconds, seq, answered 1|0}
        Thread reader = new Thread(() -> read(ping, replies), "reroute-ping");
        reader.setDaemon(true);
        reader.start();
        String[] ends = t.link().split("~");
        try {
            awaitAnswers(replies, 50, "the plane to answer before the failure");
            double down = System.currentTimeMillis() / 1000.0;
            Bench.run(Map.of(), List.of("ip", "-n", prefix + ends[0], "link", "set", ends[1], "down"));
            Bench.run(Map.of(), List.of("ip", "-n", prefix + ends[1], "link", "set", ends[0], "down"));
            boolean lost = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                double[] r = replies.poll(1, TimeUnit.SECONDS);
                if (r == null || r[0] < down) {
                    continue;
                }
                if (r[2] == 0) {
                    lost = true;
                } else if (lost) {
                    return (r[0] - down) * 1000;
                }
            }
            throw new IllegalStateException("link " + t.link() + ": " + (lost ? "no answer within 60 s of the failure"
                    : "no probe lost: the policy " + t.from() + " -> " + t.to() + " does not cross it"));
        } finally {
            ping.destroy();
            Bench.lab(root, Map.of("SRV6_LAB_PREFIX", prefix), "srv6.sh", "clear", t.link());
        }
    }

    private static void read(Process ping, BlockingQueue<double[]> replies) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(ping.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                Matcher m = PING.matcher(line);
                if (m.find()) {
                    boolean answered = m.group(2) != null;
                    replies.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(answered ? m.group(2) : m.group(3)),
                            answered ? 1 : 0});
                }
            }
        } catch (IOException e) {
            // ping ended
        }
    }

    private static void awaitAnswers(BlockingQueue<double[]> replies, int n, String what) throws InterruptedException {
        int answered = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answered < n) {
            double[] r = replies.poll(1, TimeUnit.SECONDS);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            answered = r == null ? answered : r[2] == 1 ? answered + 1 : 0;
        }
    }

    /** After a link comes back, the planes re-route and verify again; the next sample starts from a verified plane. */
    private JsonNode awaitVerified(String plane) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode p = get("/planes/" + plane);
        while (!p.path("state").asText().equals("VERIFIED")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("plane " + plane + " is " + p.path("state").asText() + ", not VERIFIED, after 60 s");
            }
            Thread.sleep(200);
            p = get("/planes/" + plane);
        }
        return p;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", auth)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }


}
