package org.tianshu.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tianshu.integration.Eventually.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.integration.DeadLetter;
import org.tianshu.events.EventBus;
import org.tianshu.persistence.Database;

/** Webhooks against a real HTTP server (the JDK's) that answers what each test tells it to. */
class WebhookTest {
    @TempDir
    Path dir;

    private Database db;
    private EventBus bus;
    private CamelRuntime camel;
    private DeadLetterStore deadLetters;
    private WebhookOutbox outbox;
    private Webhooks webhooks;
    private HttpServer server;
    /** Status codes the server answers, in order; the last one repeats. */
    private volatile List<Integer> answers = List.of(200);
    private final AtomicInteger requests = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> delivered = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() throws IOException {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", 4);
        startRuntime();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            int n = requests.getAndIncrement();
            List<Integer> a = answers;
            int status = a.get(Math.min(n, a.size() - 1));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (status == 200) {
                delivered.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** What a start of the runtime makes on the database: bus, Camel, stores, webhooks. */
    private void startRuntime() {
        bus = new EventBus(1000);
        camel = new CamelRuntime("test", bus);
        bus.addListener(camel);
        deadLetters = new DeadLetterStore(db.dataSource(), Clock.systemUTC());
        outbox = new WebhookOutbox(db.dataSource(), Clock.systemUTC(), deadLetters);
        webhooks = new Webhooks(camel, outbox, deadLetters.sender());
    }

    private void stopRuntime() {
        webhooks.close();
        bus.close();
        camel.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        stopRuntime();
        db.close();
    }

    private WebhookConfig hook(String types, int retries) {
        return WebhookConfig.of("ticketing", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook", types,
                retries, 50, 200, 2000);
    }

    @Test
    void a500IsRetriedAndTheEventDeliveredOnceAsJson() {
        answers = List.of(500, 200);
        webhooks.add(hook("PLANE_SLO_VIOLATED", 3));
        bus.publish(Event.now(EventType.CLOUD_SYNCED, "cloud/c1", null, "c1", Map.of()));
        bus.publish(new Event(EventType.PLANE_SLO_VIOLATED, "plane/video", "health", null, Map.of("latencyMs", "48"),
                java.time.Instant.parse("2026-11-23T13:40:00Z")));
        await(() -> assertThat(delivered).hasSize(1));
        assertThat(delivered.peek()).isEqualTo("{\"type\":\"PLANE_SLO_VIOLATED\",\"subject\":\"plane/video\","
                + "\"department\":\"health\",\"cloud\":null,\"attributes\":{\"latencyMs\":\"48\"},"
                + "\"at\":\"2026-11-23T13:40:00Z\"}");
        assertThat(requests.get()).isEqualTo(2);
        assertThat(deadLetters.deadLetters(Caller.SYSTEM)).isEmpty();
    }

    @Test
    void whatStillFailsAfterTheRetriesIsKeptAndCanBeReplayed() {
        answers = List.of(500);
        webhooks.add(hook("", 2));
        bus.publish(Event.now(EventType.SITE_UNREACHABLE, "site/dc1", null, null, Map.of()));
        await(() -> assertThat(deadLetters.deadLetters(Caller.SYSTEM)).hasSize(1));
        DeadLetter d = deadLetters.deadLetters(Caller.SYSTEM).get(0);
        assertThat(d.webhook()).isEqualTo("ticketing");
        assertThat(d.eventType()).isEqualTo("SITE_UNREACHABLE");
        assertThat(d.subject()).isEqualTo("site/dc1");
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(d.lastError()).startsWith("HTTP 500");
        assertThat(requests.get()).isEqualTo(3);

        assertThat(deadLetters.replay(d.id(), Caller.SYSTEM)).isFalse();
        DeadLetter again = deadLetters.deadLetters(Caller.SYSTEM).get(0);
        assertThat(again.attempts()).isEqualTo(4);

        answers = List.of(200);
        assertThat(deadLetters.replay(d.id(), Caller.SYSTEM)).isTrue();
        assertThat(deadLetters.deadLetters(Caller.SYSTEM)).isEmpty();
        assertThat(delivered).singleElement().satisfies(body -> assertThat(body).contains("\"site/dc1\""));

        assertThatThrownBy(() -> deadLetters.replay(d.id(), Caller.SYSTEM)).isInstanceOfSatisfying(
                TianshuException.class, e -> assertThat(e.kind() + " " + e.field()).isEqualTo("NOT_FOUND id"));
        assertThatThrownBy(() -> deadLetters.deadLetters(new Caller("li", Set.of("dept-health"))))
                .isInstanceOf(TianshuException.class);
    }

    @Test
    void aRetryInProgressIsDeliveredAfterARestart() {
        answers = List.of(500, 200);
        // 3 s until the retry: the runtime is stopped well before it, also on a loaded machine
        webhooks.add(new WebhookConfig("ticketing", hook("", 0).url(), Set.of(), 3, 3000, 3000, 2000));
        bus.publish(new Event(EventType.SITE_UNREACHABLE, "site/dc1", null, null, Map.of(),
                java.time.Instant.parse("2026-11-23T13:40:00Z")));
        await(() -> assertThat(outbox.pending()).singleElement()
                .satisfies(e -> assertThat(e.attempts() + " " + e.lastError()).startsWith("1 HTTP 500")));
        stopRuntime();
        assertThat(requests.get()).isEqualTo(1);
        assertThat(delivered).isEmpty();

        startRuntime();
        webhooks.add(hook("", 3));
        await(() -> assertThat(delivered).hasSize(1));
        assertThat(delivered.peek()).isEqualTo("{\"type\":\"SITE_UNREACHABLE\",\"subject\":\"site/dc1\","
                + "\"department\":null,\"cloud\":null,\"attributes\":{},\"at\":\"2026-11-23T13:40:00Z\"}");
        await(() -> assertThat(outbox.pending()).isEmpty());
        assertThat(requests.get()).isEqualTo(2);
        assertThat(deadLetters.deadLetters(Caller.SYSTEM)).isEmpty();
    }

    @Test
    void attemptsMadeBeforeARestartCountTowardsTheDeadLetter() {
        answers = List.of(500);
        webhooks.add(new WebhookConfig("ticketing", hook("", 0).url(), Set.of(), 2, 3000, 3000, 2000));
        bus.publish(Event.now(EventType.SITE_UNREACHABLE, "site/dc1", null, null, Map.of()));
        await(() -> assertThat(outbox.pending()).singleElement().satisfies(e -> assertThat(e.attempts()).isEqualTo(1)));
        stopRuntime();

        startRuntime();
        webhooks.add(hook("", 2));
        await(() -> assertThat(deadLetters.deadLetters(Caller.SYSTEM)).singleElement()
                .satisfies(d -> assertThat(d.attempts() + " " + d.subject()).isEqualTo("3 site/dc1")));
        assertThat(outbox.pending()).isEmpty();
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void aRemovedWebhookKeepsItsPromisesForItsNextStart() {
        answers = List.of(500, 200);
        webhooks.add(new WebhookConfig("ticketing", hook("", 0).url(), Set.of(), 3, 60_000, 60_000, 2000));
        bus.publish(Event.now(EventType.SITE_UNREACHABLE, "site/dc1", null, null, Map.of()));
        await(() -> assertThat(outbox.pending()).singleElement().satisfies(e -> assertThat(e.attempts()).isEqualTo(1)));
        webhooks.remove("ticketing");
        assertThat(outbox.pending()).hasSize(1);
        // the stored next attempt is a minute away; the new configuration's backoff does not bring it forward
        webhooks.add(hook("", 3));
        bus.publish(Event.now(EventType.SITE_UNREACHABLE, "site/dc2", null, null, Map.of()));
        await(() -> assertThat(delivered).singleElement().satisfies(b -> assertThat(b).contains("site/dc2")));
        // the entry leaves the outbox once the receiver's answer is back, a moment after the receiver saw it
        await(() -> assertThat(outbox.pending()).extracting(WebhookOutbox.Entry::subject).containsExactly("site/dc1"));
    }

    @Test
    void aFailingWebhookDoesNotHoldUpTheBus() {
        answers = List.of(500);
        webhooks.add(new WebhookConfig("slow", hook("", 0).url(), Set.of(), 3, 2000, 2000, 2000));
        List<Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        bus.addListener(seen::add);
        for (int i = 0; i < 20; i++) {
            bus.publish(Event.now(EventType.RESOURCE_CREATED, "workload/w" + i, null, null, Map.of()));
        }
        // 20 events with 3 retries 2 s apart each would take minutes if redelivery blocked the bus thread
        await(() -> assertThat(seen).hasSize(20));
    }

    @Test
    void removedWebhookPostsNoMore() {
        webhooks.add(hook("", 0));
        webhooks.remove("ticketing");
        bus.publish(Event.now(EventType.SITE_UNREACHABLE, "site/dc1", null, null, Map.of()));
        bus.close();
        assertThat(requests.get()).isZero();
        assertThat(camel.routes()).isEmpty();
    }

    @Test
    void badConfigurationNamesTheKey() {
        assertThat(field(() -> WebhookConfig.of("Bad Name", "http://x/", "", 1, 1, 1, 1))).isEqualTo("name");
        assertThat(field(() -> WebhookConfig.of("t", "ftp://x/", "", 1, 1, 1, 1))).isEqualTo("url");
        assertThat(field(() -> WebhookConfig.of("t", "http://x/", "LINK_DOWN,NOPE", 1, 1, 1, 1))).isEqualTo("types");
        assertThat(field(() -> WebhookConfig.of("t", "http://x/", "", -1, 1, 1, 1))).isEqualTo("retries");
        assertThat(field(() -> WebhookConfig.of("t", "http://x/", "", 1, 100, 10, 1))).isEqualTo("maxBackoffMillis");
        assertThat(WebhookConfig.of("t", "http://x/", " link_down , LINK_UP", 1, 1, 1, 1).types())
                .containsExactlyInAnyOrder(EventType.LINK_DOWN, EventType.LINK_UP);
    }

    private static String field(Runnable r) {
        try {
            r.run();
        } catch (TianshuException e) {
            return e.field();
        }
        return null;
    }
}
