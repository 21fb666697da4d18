package org.tianshu.dr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.tianshu.api.TianshuException;

/** Cron expressions: the next times of Unix and Quartz forms, and errors naming the cron field at fault. */
class CronTest {
    static final ZoneId UTC = ZoneOffset.UTC;

    static Instant at(String localUtc) {
        return LocalDateTime.parse(localUtc).toInstant(ZoneOffset.UTC);
    }

    static Instant next(String expr, String after) {
        return Cron.parse("schedule", expr).next(at(after), UTC);
    }

    @Test
    void unixFields() {
        // Monday 2026-11-23
        assertThat(next("0 2 * * SUN", "2026-11-23T15:00:00")).isEqualTo(at("2026-11-29T02:00:00"));
        assertThat(next("0 2 * * 0", "2026-11-23T15:00:00")).isEqualTo(at("2026-11-29T02:00:00"));
        assertThat(next("0 2 * * 7", "2026-11-23T15:00:00")).isEqualTo(at("2026-11-29T02:00:00"));
        assertThat(next("*/15 * * * *", "2026-11-23T15:07:30")).isEqualTo(at("2026-11-23T15:15:00"));
        assertThat(next("30 9-17/4 * * MON-FRI", "2026-11-23T13:31:00")).isEqualTo(at("2026-11-23T17:30:00"));
        assertThat(next("30 9-17/4 * * MON-FRI", "2026-11-27T17:30:00")).isEqualTo(at("2026-11-30T09:30:00"));
        assertThat(next("0 0 1,15 * *", "2026-11-15T00:00:00")).isEqualTo(at("2026-12-01T00:00:00"));
        assertThat(next("0 0 1 JAN *", "2026-11-23T00:00:00")).isEqualTo(at("2027-01-01T00:00:00"));
        // strictly after: a time that matches is not its own next
        assertThat(next("0 2 * * *", "2026-11-24T02:00:00")).isEqualTo(at("2026-11-25T02:00:00"));
        // both day fields restricted: either matches (13th or a Friday)
        assertThat(next("0 0 13 * FRI", "2026-11-23T00:00:00")).isEqualTo(at("2026-11-27T00:00:00"));
        assertThat(next("0 0 13 * FRI", "2026-11-28T00:00:00")).isEqualTo(at("2026-12-04T00:00:00"));
        // 29 February: the next leap year
        assertThat(next("0 0 29 2 *", "2026-11-23T00:00:00")).isEqualTo(at("2028-02-29T00:00:00"));
        assertThat(next("0 0 31 2 *", "2026-11-23T00:00:00")).isNull();
    }

    @Test
    void quartzFields() {
        assertThat(next("0 0 2 ? * SUN", "2026-11-23T15:00:00")).isEqualTo(at("2026-11-29T02:00:00"));
        // Quartz counts Sunday as 1
        assertThat(next("0 0 2 ? * 1", "2026-11-23T15:00:00")).isEqualTo(at("2026-11-29T02:00:00"));
        assertThat(next("0 0 2 ? * 2", "2026-11-23T15:00:00")).isEqualTo(at("2026-11-30T02:00:00"));
        assertThat(next("30 0/20 * * * ?", "2026-11-23T15:20:30")).isEqualTo(at("2026-11-23T15:40:30"));
        assertThat(next("0 0 12 1 * ? 2028", "2026-11-23T15:00:00")).isEqualTo(at("2028-01-01T12:00:00"));
        assertThat(next("0 0 12 1 * ? 2025", "2026-11-23T15:00:00")).isNull();
    }

    @Test
    void localTimeOfTheZone() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        assertThat(Cron.parse("schedule", "0 2 * * *").next(at("2026-11-23T00:00:00"), shanghai))
                .isEqualTo(at("2026-11-23T18:00:00"));
    }

    @Test
    void badExpressionsAreInvalidNamingTheField() {
        bad("0 2 * *", "needs 5 fields");
        bad("61 2 * * *", "minute field '61': out of range 0-59");
        bad("0 24 * * *", "hour field '24'");
        bad("0 2 0 * *", "day-of-month field '0'");
        bad("0 2 * FOO *", "month field 'FOO'");
        bad("0 2 * * 8", "day-of-week field '8'");
        bad("0 2 * * 5-1", "day-of-week field '5-1': a range must not run backwards");
        bad("*/0 * * * *", "minute field '0': out of range 1-60");
        bad("0 2 ? * *", "'?' is Quartz syntax");
        bad("0 0 2 * * *", "exactly one of the day-of-month and day-of-week fields must be '?'");
        bad("0 0 2 L * ?", "day-of-month field 'L'", "not supported");
        bad("0 0 2 ? * 6#3", "day-of-week field '6#3'");
        bad("0 0 2 ? * 0", "day-of-week field '0': out of range 1-7");
        bad("0 0 2 ? * * 1900", "year field '1900'");
        bad("0 2 * * 1,", "day-of-week field ''");
    }

    static void bad(String expr, String... message) {
        assertThatThrownBy(() -> Cron.parse("drillSchedules", expr)).isInstanceOfSatisfying(TianshuException.class, e -> {
            assertThat(e.kind()).isEqualTo(TianshuException.Kind.INVALID);
            assertThat(e.field()).isEqualTo("drillSchedules");
            assertThat(e.getMessage()).contains(message);
        });
    }
}
