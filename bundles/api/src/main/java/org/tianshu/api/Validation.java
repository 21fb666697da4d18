package org.tianshu.api;

import java.util.regex.Pattern;

/** Input checks shared by every entry point; each failure names the field. */
public final class Validation {
    /** Identifiers of clouds, departments and workloads: lower case, digits, dash, 1-63 chars. */
    public static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Validation() {
    }

    /** {@code value} must be present and not blank. */
    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw TianshuException.invalid(field, field + " is required");
        }
        return value;
    }

    /** {@code value} must be a valid identifier (see {@link #ID}). */
    public static String id(String field, String value) {
        required(field, value);
        if (!ID.matcher(value).matches()) {
            throw TianshuException.invalid(field, field + " '" + value
                    + "' must be lower-case letters, digits and '-', 1-63 characters, not starting or ending with '-'");
        }
        return value;
    }

    /** {@code value} must be zero or more. */
    public static long nonNegative(String field, long value) {
        if (value < 0) {
            throw TianshuException.invalid(field, field + " must be zero or more, got " + value);
        }
        return value;
    }

    /** {@code value} must be one or more. */
    public static long positive(String field, long value) {
        if (value <= 0) {
            throw TianshuException.invalid(field, field + " must be greater than zero, got " + value);
        }
        return value;
    }
}
