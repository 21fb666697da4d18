package org.tianshu.shell;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tianshu.api.TianshuException;

/** Parses the quantities people type: CPU like {@code 500m} or {@code 2}, sizes like {@code 512Mi} or {@code 2Gi}. */
public final class Units {
    private static final Pattern QUANTITY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");
    private static final long KI = 1024;
    /** Binary and decimal suffixes, in bytes. */
    private static final Map<String, BigDecimal> BYTES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE), Map.entry("b", BigDecimal.ONE),
            Map.entry("ki", BigDecimal.valueOf(KI)), Map.entry("mi", BigDecimal.valueOf(KI * KI)),
            Map.entry("gi", BigDecimal.valueOf(KI * KI * KI)), Map.entry("ti", BigDecimal.valueOf(KI * KI * KI * KI)),
            Map.entry("k", BigDecimal.valueOf(1000L)), Map.entry("m", BigDecimal.valueOf(1000_000L)),
            Map.entry("g", BigDecimal.valueOf(1000_000_000L)), Map.entry("t", BigDecimal.valueOf(1000_000_000_000L)));

    private Units() {
    }

    /**
     * CPU in millicores: {@code 500m} is 500, {@code 2} is 2000, {@code 0.5} is 500. Must be more than
     * zero; INVALID naming {@code field} otherwise.
     */
    public static long cpuMillis(String field, String value) {
        Matcher m = match(field, value, "CPU like 500m, 2 or 0.5");
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        BigDecimal n = new BigDecimal(m.group(1));
        BigDecimal millis = switch (unit) {
            case "m" -> n;
            case "" -> n.movePointRight(3);
            default -> throw TianshuException.invalid(field, field + " must be CPU like 500m, 2 or 0.5; got '"
                    + value + "' (unknown unit '" + m.group(2) + "')");
        };
        return positiveWhole(field, value, millis);
    }

    /**
     * Memory in MiB: {@code 512Mi}, {@code 2Gi}, {@code 1G} (rounded up to whole MiB); a bare number
     * is MiB and must be whole. Must be greater than zero; INVALID naming {@code field} otherwise.
     */
    public static long mebibytes(String field, String value) {
        return scaled(field, value, KI * KI, "memory like 512Mi or 2Gi");
    }

    /** Disk in GiB: {@code 100Gi}, {@code 1Ti}; a bare number is GiB. */
    public static long gibibytes(String field, String value) {
        return scaled(field, value, KI * KI * KI, "disk like 100Gi or 1Ti");
    }

    /** A whole number zero or more; INVALID naming {@code field} otherwise. */
    public static long count(String field, String value) {
        try {
            long n = Long.parseLong(value == null ? "" : value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw TianshuException.invalid(field, field + " must be a whole number, zero or more; got '" + value + "'");
    }

    private static long scaled(String field, String value, long unitBytes, String what) {
        Matcher m = match(field, value, what);
        String suffix = m.group(2).toLowerCase(Locale.ROOT);
        BigDecimal factor = BYTES.get(suffix);
        if (factor == null) {
            throw TianshuException.invalid(field, field + " must be " + what + "; got '" + value + "' (unknown unit '"
                    + m.group(2) + "')");
        }
        BigDecimal n = new BigDecimal(m.group(1));
        // with a unit, round up to a whole MiB/GiB (1G of memory is 954Mi); a bare number must be whole
        BigDecimal amount = suffix.isEmpty() ? n
                : n.multiply(factor).divide(BigDecimal.valueOf(unitBytes), 0, RoundingMode.CEILING);
        return positiveWhole(field, value, amount);
    }

    private static Matcher match(String field, String value, String what) {
        Matcher m = QUANTITY.matcher(value == null ? "" : value.trim());
        if (!m.matches()) {
            throw TianshuException.invalid(field, field + " must be " + what + "; got '" + value + "'");
        }
        return m;
    }

    private static long positiveWhole(String field, String value, BigDecimal n) {
        if (n.signum() <= 0) {
            throw TianshuException.invalid(field, field + " must be greater than zero; got '" + value + "'");
        }
        if (n.stripTrailingZeros().scale() > 0) {
            throw TianshuException.invalid(field, field + " '" + value + "' is not a whole number of the unit ("
                    + n.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + ")");
        }
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw TianshuException.invalid(field, field + " '" + value + "' is too large");
        }
    }
}
