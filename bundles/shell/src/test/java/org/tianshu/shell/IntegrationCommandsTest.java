package org.tianshu.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tianshu.api.Caller;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventType;
import org.tianshu.api.integration.RecommendationKind;
import org.tianshu.audit.AuditLog;
import org.tianshu.integration.AlarmStore;
import org.tianshu.integration.DeadLetterStore;
import org.tianshu.integration.RecommendationStore;
import org.tianshu.persistence.Database;

/** tianshu:alarms, tianshu:recommendations and tianshu:dead-letters on the real stores (H2). */
class IntegrationCommandsTest {
    private static final Caller OPS = new Caller("ops", Set.of(Caller.OPERATOR));

    @TempDir
    Path dir;

    private Database db;
    private AuditLog audit;
    private AlarmStore alarms;
    private RecommendationStore recommendations;
    private DeadLetterStore deadLetters;
    private final List<Event> published = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void open() {
        db = Database.open("jdbc:h2:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", 2);
        audit = new AuditLog(db.dataSource());
        alarms = new AlarmStore(db.dataSource(), Clock.systemUTC());
        recommendations = new RecommendationStore(db.dataSource(), published::add, Clock.systemUTC());
        deadLetters = new DeadLetterStore(db.dataSource(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private <A extends TianshuAction> A command(A action) {
        action.audit = audit;
        action.caller = OPS;
        action.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return action;
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void alarmsAreListedAndAcknowledged() throws Exception {
        long id = alarms.raise(Event.now(EventType.PLANE_SLO_VIOLATED, "plane/video", null, null, Map.of())).id();
        IntegrationCommands.AlarmsCommand list = command(new IntegrationCommands.AlarmsCommand());
        list.alarms = alarms;
        list.execute();
        assertThat(output()).contains("plane/video").contains("OPEN");

        IntegrationCommands.AlarmsCommand ack = command(new IntegrationCommands.AlarmsCommand());
        ack.alarms = alarms;
        ack.ack = id;
        ack.execute();
        assertThat(output()).contains("Alarm " + id + " acknowledged");
        assertThat(audit.recent(1, Caller.SYSTEM).get(0).action()).isEqualTo("alarm.acknowledge");
        assertThatThrownBy(ack::execute).isInstanceOf(CommandException.class)
                .hasMessage("Error (CONFLICT, field id): alarm " + id + " is already ACKNOWLEDGED");
    }

    @Test
    void recommendationIsApprovedWithoutExecutingAnything() throws Exception {
        long id = recommendations.propose(RecommendationKind.FAILOVER,
                Event.now(EventType.SITE_UNREACHABLE, "site/dc1", null, null, Map.of())).id();
        IntegrationCommands.RecommendationsCommand approve = command(new IntegrationCommands.RecommendationsCommand());
        approve.recommendations = recommendations;
        approve.approve = id;
        approve.note = "confirmed";
        approve.execute();
        assertThat(output()).contains("FAILOVER site/dc1) approved").contains("nothing was executed");
        assertThat(published).extracting(Event::type).containsExactly(EventType.RECOMMENDATION_DECIDED);

        IntegrationCommands.RecommendationsCommand list = command(new IntegrationCommands.RecommendationsCommand());
        list.recommendations = recommendations;
        list.execute();
        assertThat(output()).contains("No pending recommendations");
    }

    @Test
    void deadLettersAreListedAndAFailedReplayKeepsThem() throws Exception {
        // nothing listens on port 9 (discard) of localhost: the replay fails and the letter stays
        deadLetters.store("ticketing", URI.create("http://127.0.0.1:9/hook"), "SITE_UNREACHABLE", "site/dc1", "{}", 6,
                "HTTP 500");
        IntegrationCommands.DeadLettersCommand list = command(new IntegrationCommands.DeadLettersCommand());
        list.webhooks = deadLetters;
        list.execute();
        assertThat(output()).contains("ticketing").contains("HTTP 500");

        IntegrationCommands.DeadLettersCommand replay = command(new IntegrationCommands.DeadLettersCommand());
        replay.webhooks = deadLetters;
        replay.replay = deadLetters.deadLetters(OPS).get(0).id();
        replay.execute();
        assertThat(output()).contains("failed again and is kept");
        assertThat(deadLetters.deadLetters(OPS).get(0).attempts()).isEqualTo(7);
    }
}
