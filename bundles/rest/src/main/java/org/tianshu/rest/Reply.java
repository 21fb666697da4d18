package org.tianshu.rest;

/**
 * What a handler answers.
 *
 * @param status HTTP status
 * @param body serialized as JSON, none when null
 * @param location value of the {@code Location} header, or null
 */
record Reply(int status, Object body, String location) {
    /** A body served as {@code text/html} instead of JSON. */
    record Html(String text) {
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
