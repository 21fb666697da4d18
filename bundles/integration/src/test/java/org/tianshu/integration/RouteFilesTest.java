package org.tianshu.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.ConsumerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;

/** YAML route files on a real Camel context: load, refusal of a bad file, reload on change, removal on delete. */
class RouteFilesTest {
    @TempDir
    Path dir;

    private CamelRuntime camel;
    private RouteFiles files;
    private ConsumerTemplate consumer;

    @BeforeEach
    void start() {
        camel = new CamelRuntime("test", e -> { });
        files = new RouteFiles(camel, dir);
        consumer = camel.context().createConsumerTemplate();
    }

    @AfterEach
    void stop() {
        camel.close();
    }

    /** A route from link-up events to {@code seda:<queue>}, with the event's subject as body. */
    private static String route(String id, String queue) {
        return """
                - route:
                    id: %s
                    from:
                      uri: tianshu-events:%s?types=LINK_UP
                      steps:
                        - setBody:
                            simple: "${header.TianshuSubject}"
                        - to: seda:%s
                """.formatted(id, id, queue);
    }

    private String next(String queue) {
        return consumer.receiveBody("seda:" + queue, 5000, String.class);
    }

    private void linkUp(String subject) {
        camel.onEvent(Event.now(EventType.LINK_UP, subject, null, null, Map.of()));
    }

    @Test
    void loadsRoutesAndRefusesABadFileWithoutStoppingTheOthers() throws IOException {
        Files.writeString(dir.resolve("ops.yaml"), route("ops", "out"));
        Files.writeString(dir.resolve("broken.yaml"), "- route:\n    from: [unclosed\n");
        Files.writeString(dir.resolve("unknown.yml"), "- route:\n    from:\n      uri: nosuchcomponent:x\n"
                + "      steps:\n        - to: log:x\n");
        Files.writeString(dir.resolve("notes.txt"), "not a route file");

        files.scan();

        assertThat(files.routes()).containsEntry(dir.resolve("ops.yaml"), java.util.List.of("ops"));
        assertThat(files.problems()).containsOnlyKeys(dir.resolve("broken.yaml"), dir.resolve("unknown.yml"));
        assertThat(files.problems().get(dir.resolve("unknown.yml"))).contains("nosuchcomponent");
        assertThat(camel.routes()).extracting(r -> r.getRouteId()).containsExactly("ops");
        linkUp("link/l1");
        assertThat(next("out")).isEqualTo("link/l1");
    }

    @Test
    void reloadsAChangedFileAndKeepsTheLastGoodVersionOfABadOne() throws IOException {
        Path f = dir.resolve("ops.yaml");
        Files.writeString(f, route("ops", "out"));
        files.scan();
        Files.writeString(f, route("ops", "changed"));
        files.scan();
        linkUp("link/l2");
        assertThat(next("changed")).isEqualTo("link/l2");

        Files.writeString(f, "- route: {from: {uri: \"tianshu-events:x?types=NO_SUCH_TYPE\", steps: [{to: log:x}]}}\n");
        files.scan();
        assertThat(files.problems().get(f)).contains("NO_SUCH_TYPE");
        linkUp("link/l3");
        assertThat(next("changed")).isEqualTo("link/l3");

        // scanning again does not retry nor log the same bad content again
        files.scan();
        assertThat(files.routes().get(f)).containsExactly("ops");
    }

    @Test
    void aDeletedFileTakesItsRoutesAlong() throws IOException {
        Path f = dir.resolve("ops.yaml");
        Files.writeString(f, route("ops", "out"));
        files.scan();
        assertThat(camel.status("ops").isStarted()).isTrue();
        Files.delete(f);
        files.scan();
        assertThat(camel.routes()).isEmpty();
        assertThat(files.routes()).isEmpty();
    }

    @Test
    void aMissingDirectoryIsNoRoutes() {
        new RouteFiles(camel, dir.resolve("absent")).scan();
        assertThat(camel.routes()).isEmpty();
    }
}
