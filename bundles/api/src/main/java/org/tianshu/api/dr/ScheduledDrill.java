package org.tianshu.api.dr;

import java.time.Instant;
import java.util.List;

/**
 * A plan drilled on a schedule.
 *
 * @param planId the plan
 * @param schedule as configured: a cron expression (Unix 5 fields or Quartz 6-7 fields) or an ISO-8601 interval
 * @param nextRuns the next times a drill starts, soonest first
 * @param history the drills the schedule started, newest first
 */
public record ScheduledDrill(String planId, String schedule, List<Instant> nextRuns, List<DrRun> history) {
    public ScheduledDrill {
        nextRuns = List.copyOf(nextRuns);
        history = List.copyOf(history);
    }
}
