package org.tianshu.api.plane;

/**
 * A customer-facing port of a provider-edge router where a site attaches to the backbone, e.g. {@code r1/p1}.
 *
 * @param router the router id
 * @param port   the port's name on that router
 */
public record Attachment(String router, String port) {
    /** Parses {@code router/port}; INVALID-worthy input gives {@link IllegalArgumentException}. */
    public static Attachment parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("attachment must be router/port, got " + text);
        }
        return new Attachment(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return router + "/" + port;
    }
}
