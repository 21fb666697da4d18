package org.tianshu.rest;

/**
 * What a handler answers.
 *
 * @param status HTTP status
 * @param body serialized as JSON ({@link Text} as it is), none when null
 * @param location value of the {@code Location} header, or null
 */
record Reply(int status, Object body, String location) {
    /** A body sent as it is, not as JSON. */
    record Text(String contentType, String text) {
    }

    static Reply text(String contentType, String text) {
        return new Reply(200, new Text(contentType, text), null);
    }

    /** Bytes sent as they are, e.g. a PDF. */
    record Binary(String contentType, byte[] bytes) {
    }

    static Reply binary(String contentType, byte[] bytes) {
        return new Reply(200, new Binary(contentType, bytes), null);
    }

    static Reply ok(Object body) {
        return new Reply(200, body, null);
    }

    static Reply created(Object body, String location) {
        return new Reply(201, body, location);
    }

    static Reply accepted(Object body, String location) {
        return new Reply(202, body, location);
    }

    static Reply noContent() {
        return new Reply(204, null, null);
    }
}
