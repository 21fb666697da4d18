package org.tianshu.shell;

import java.util.Locale;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.tianshu.api.TianshuException;
import org.tianshu.api.integration.Alarm;
import org.tianshu.api.integration.AlarmService;
import org.tianshu.api.integration.DeadLetter;
import org.tianshu.api.integration.Recommendation;
import org.tianshu.api.integration.RecommendationService;
import org.tianshu.api.integration.RecommendationState;
import org.tianshu.api.integration.WebhookService;

/** Commands on what the integration routes produce: alarms, recommendations, webhook dead letters. */
final class IntegrationCommands {
    private IntegrationCommands() {
    }

    @Command(scope = "tianshu", name = "alarms", description = "Lists the active alarms (all with --all) or acknowledges one")
    @Service
    public static class AlarmsCommand extends TianshuAction {
        @Reference
        AlarmService alarms;

        @Option(name = "--all", aliases = "-a", description = "Also the cleared alarms")
        boolean all;
        @Option(name = "--ack", description = "Acknowledges the alarm with this id")
        Long ack;

        @Override
        void run() {
            if (ack != null) {
                Alarm a = audited("alarm.acknowledge", "alarm/" + ack, () -> alarms.acknowledge(ack, caller()));
                out().printf("Alarm %d acknowledged: %s%n", a.id(), a.message());
                return;
            }
            ShellTable table = Tables.of("ID", "STATE", "RAISED", "SOURCE", "SUBJECT", "MESSAGE", "ACK BY", "CLEARED")
                    .emptyTableText(all ? "No alarms" : "No active alarms");
            for (Alarm a : alarms.list(!all, caller())) {
                table.addRow().addContent(a.id(), a.state(), a.raisedAt(), a.source(), a.subject(), a.message(),
                        dash(a.acknowledgedBy()), dash(a.clearedAt()));
            }
            table.print(out());
        }
    }

    @Command(scope = "tianshu", name = "recommendations",
            description = "Lists recommendations waiting for a decision (all with --all), or approves or rejects one; nothing is executed")
    @Service
    public static class RecommendationsCommand extends TianshuAction {
        @Reference
        RecommendationService recommendations;

        @Option(name = "--all", aliases = "-a", description = "Also the decided ones")
        boolean all;
        @Option(name = "--approve", description = "Approves the recommendation with this id")
        Long approve;
        @Option(name = "--reject", description = "Rejects the recommendation with this id")
        Long reject;
        @Option(name = "--note", description = "Why, kept with the decision")
        String note;

        @Override
        void run() {
            if (approve != null && reject != null) {
                throw TianshuException.invalid("approve", "give --approve or --reject, not both");
            }
            if (approve != null || reject != null) {
                boolean yes = approve != null;
                long id = yes ? approve : reject;
                Recommendation r = audited("recommendation." + (yes ? "approve" : "reject"), "recommendation/" + id,
                        () -> yes ? recommendations.approve(id, note, caller())
                                : recommendations.reject(id, note, caller()));
                out().printf("Recommendation %d (%s %s) %s; the decision is recorded and published, nothing was executed%n",
                        r.id(), r.kind(), r.subject(), r.state().name().toLowerCase(Locale.ROOT));
                return;
            }
            ShellTable table = Tables.of("ID", "KIND", "STATE", "CREATED", "SUBJECT", "REASON", "DECIDED BY", "NOTE")
                    .emptyTableText(all ? "No recommendations" : "No pending recommendations");
            for (Recommendation r : recommendations.list(all ? null : RecommendationState.PENDING, caller())) {
                table.addRow().addContent(r.id(), r.kind(), r.state(), r.createdAt(), r.subject(), r.reason(),
                        dash(r.decidedBy()), dash(r.note()));
            }
            table.print(out());
        }
    }

    @Command(scope = "tianshu", name = "dead-letters", description = "Lists the webhook dead letters or replays one")
    @Service
    public static class DeadLettersCommand extends TianshuAction {
        @Reference
        WebhookService webhooks;

        @Option(name = "--replay", description = "Posts the dead letter with this id again")
        Long replay;

        @Override
        void run() {
            if (replay != null) {
                boolean ok = audited("webhook.replay", "dead-letter/" + replay, () -> webhooks.replay(replay, caller()));
                out().println(ok ? "Dead letter " + replay + " delivered and removed"
                        : "Dead letter " + replay + " failed again and is kept (see tianshu:dead-letters)");
                return;
            }
            ShellTable table = Tables.of("ID", "WEBHOOK", "FAILED", "ATTEMPTS", "EVENT", "SUBJECT", "LAST ERROR")
                    .emptyTableText("No dead letters");
            for (DeadLetter d : webhooks.deadLetters(caller())) {
                table.addRow().addContent(d.id(), d.webhook(), d.failedAt(), d.attempts(), d.eventType(), d.subject(),
                        d.lastError());
            }
            table.print(out());
        }
    }
}
