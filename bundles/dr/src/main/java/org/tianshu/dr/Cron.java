package org.tianshu.dr;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.tianshu.api.TianshuException;

/**
 * A cron expression: Unix (5 fields: minute hour day-of-month month day-of-week, day-of-week 0-7 with 0 and 7
 * Sunday) or Quartz (6 or 7 fields: second minute hour day-of-month month day-of-week [year], day-of-week 1-7
 * with 1 Sunday, one of the day fields {@code ?}). Fields take {@code *}, values, names ({@code JAN}, {@code MON}),
 * ranges {@code a-b}, steps ({@code 0/15}, {@code a-b/n}, a star with {@code /n}) and lists. As in Unix cron, when both day fields are
 * restricted a day matching either runs. Quartz's {@code L}, {@code W} and {@code #} are not supported and rejected.
 */
final class Cron {
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final int FIRST_YEAR = 1970;
    private static final int LAST_YEAR = 2099;

    private final String expression;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    /** 0 = Sunday. */
    private final BitSet daysOfWeek;
    private final BitSet years;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private Cron(String expression, BitSet seconds, BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months,
            BitSet daysOfWeek, BitSet years, boolean anyDayOfMonth, boolean anyDayOfWeek) {
        this.expression = expression;
        this.seconds = seconds;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.years = years;
        this.anyDayOfMonth = anyDayOfMonth;
        this.anyDayOfWeek = anyDayOfWeek;
    }

    /** Parses {@code expression}; INVALID naming {@code key}, with the cron field at fault in the message. */
    static Cron parse(String key, String expression) {
        String e = expression == null ? "" : expression.trim();
        String[] f = e.split("\\s+");
        boolean quartz = f.length == 6 || f.length == 7;
        if (!quartz && f.length != 5) {
            throw TianshuException.invalid(key, "cron expression '" + e + "' needs 5 fields (minute hour day-of-month"
                    + " month day-of-week) or 6-7 Quartz fields (second minute hour day-of-month month day-of-week"
                    + " [year]); it has " + (e.isEmpty() ? 0 : f.length));
        }
        int o = quartz ? 1 : 0;
        BitSet sec = quartz ? field(key, e, "second", f[0], 0, 59, null, false) : single(0);
        BitSet min = field(key, e, "minute", f[o], 0, 59, null, false);
        BitSet hour = field(key, e, "hour", f[o + 1], 0, 23, null, false);
        String domText = f[o + 2];
        String dowText = f[o + 4];
        if (!quartz && (domText.equals("?") || dowText.equals("?"))) {
            throw TianshuException.invalid(key, "cron expression '" + e + "': '?' is Quartz syntax; use 6 or 7 fields"
                    + " with seconds, or '*' in the " + (domText.equals("?") ? "day-of-month" : "day-of-week") + " field");
        }
        if (quartz && domText.equals("?") == dowText.equals("?")) {
            throw TianshuException.invalid(key, "cron expression '" + e + "': in Quartz form exactly one of the"
                    + " day-of-month and day-of-week fields must be '?'");
        }
        BitSet dom = domText.equals("?") ? range(1, 31) : field(key, e, "day-of-month", domText, 1, 31, null, false);
        BitSet month = field(key, e, "month", f[o + 3], 1, 12, MONTHS, false);
        BitSet dow;
        if (dowText.equals("?")) {
            dow = range(0, 6);
        } else if (quartz) {
            // Quartz counts 1 (Sunday) to 7 (Saturday)
            BitSet q = field(key, e, "day-of-week", dowText, 1, 7, DAYS, true);
            dow = new BitSet();
            q.stream().forEach(d -> dow.set(d - 1));
        } else {
            dow = field(key, e, "day-of-week", dowText, 0, 7, DAYS, false);
            if (dow.get(7)) {
                dow.clear(7);
                dow.set(0);
            }
        }
        BitSet year = f.length == 7 ? field(key, e, "year", f[6], FIRST_YEAR, LAST_YEAR, null, false)
                : range(FIRST_YEAR, LAST_YEAR);
        return new Cron(e, sec, min, hour, dom, month, dow, year, domText.equals("*") || domText.equals("?"),
                dowText.equals("*") || dowText.equals("?"));
    }

    /** The first time strictly after {@code after} that matches, in {@code zone}; null if none is left. */
    Instant next(Instant after, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(after, zone).withNano(0).plusSeconds(1);
        while (t.getYear() <= LAST_YEAR) {
            if (!years.get(t.getYear())) {
                t = LocalDateTime.of(t.getYear() + 1, 1, 1, 0, 0);
            } else if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).toLocalDate().atStartOfDay().plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.toLocalDate().atStartOfDay().plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.withMinute(0).withSecond(0).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.withSecond(0).plusMinutes(1);
            } else if (!seconds.get(t.getSecond())) {
                t = t.plusSeconds(1);
            } else {
                Instant found = t.atZone(zone).toInstant();
                // a wall time skipped by a clock change moves forward; it still lies after {@code after}
                return found.isAfter(after) ? found : next(found, zone);
            }
        }
        return null;
    }

    private boolean dayMatches(LocalDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    @Override
    public String toString() {
        return expression;
    }

    private static BitSet field(String key, String expression, String name, String text, int min, int max,
            List<String> names, boolean namesFromOne) {
        BitSet set = new BitSet();
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(key, expression, name, part.substring(slash + 1), 1, max - min + 1, null, false);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else {
                int dash = range.indexOf('-', 1);
                from = number(key, expression, name, dash < 0 ? range : range.substring(0, dash), min, max, names,
                        namesFromOne);
                to = dash < 0 ? (slash >= 0 ? max : from)
                        : number(key, expression, name, range.substring(dash + 1), min, max, names, namesFromOne);
                if (to < from) {
                    throw bad(key, expression, name, part, "a range must not run backwards");
                }
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int number(String key, String expression, String name, String text, int min, int max,
            List<String> names, boolean namesFromOne) {
        String t = text.toUpperCase(Locale.ROOT);
        int named = names == null ? -1 : names.indexOf(t);
        if (named >= 0) {
            return named + (names == MONTHS || namesFromOne ? 1 : 0);
        }
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit) || t.length() > 4) {
            throw bad(key, expression, name, text, "expected a number " + min + "-" + max
                    + (names == null ? "" : " or a name such as " + names.get(1))
                    + (t.matches(".*[LW#].*") ? " (Quartz L, W and # are not supported)" : ""));
        }
        int v = Integer.parseInt(t);
        if (v < min || v > max) {
            throw bad(key, expression, name, text, "out of range " + min + "-" + max);
        }
        return v;
    }

    private static TianshuException bad(String key, String expression, String name, String part, String why) {
        return TianshuException.invalid(key, "cron expression '" + expression + "': " + name + " field '" + part
                + "': " + why);
    }

    private static BitSet single(int v) {
        BitSet b = new BitSet();
        b.set(v);
        return b;
    }

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to + 1);
        return b;
    }
}
