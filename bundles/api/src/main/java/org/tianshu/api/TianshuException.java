package org.tianshu.api;

/**
 * Base of every error Tianshu reports to a user. The {@link Kind} maps to an HTTP status and
 * {@link #field()} names the offending input field where there is one.
 */
public class TianshuException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** Input is malformed or violates a rule (HTTP 400). */
        INVALID(400),
        /** Caller may not do this (HTTP 403). */
        FORBIDDEN(403),
        /** A named thing does not exist (HTTP 404). */
        NOT_FOUND(404),
        /** The request conflicts with current state, e.g. a quota or a duplicate (HTTP 409). */
        CONFLICT(409),
        /** An external system refused or failed (HTTP 502). */
        UPSTREAM(502);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The HTTP status that represents this kind. */
        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final String field;

    public TianshuException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public TianshuException(Kind kind, String field, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.field = field;
    }

    /** The kind of failure. */
    public Kind kind() {
        return kind;
    }

    /** The input field at fault, or null. */
    public String field() {
        return field;
    }

    /** Invalid input in {@code field}. */
    public static TianshuException invalid(String field, String message) {
        return new TianshuException(Kind.INVALID, field, message);
    }

    /** No {@code what} named {@code id}; {@code field} is the input that named it. */
    public static TianshuException notFound(String field, String what, String id) {
        return new TianshuException(Kind.NOT_FOUND, field, what + " '" + id + "' does not exist");
    }

    /** A conflict with current state. */
    public static TianshuException conflict(String field, String message) {
        return new TianshuException(Kind.CONFLICT, field, message);
    }

    /** The caller may not act on this. */
    public static TianshuException forbidden(String message) {
        return new TianshuException(Kind.FORBIDDEN, null, message);
    }
}
