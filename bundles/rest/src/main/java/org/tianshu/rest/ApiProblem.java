package org.tianshu.rest;

/**
 * An HTTP-level failure that is not a {@link org.tianshu.api.TianshuException}: bad JSON, unknown
 * route, wrong method, missing credentials. Rendered as {@code application/problem+json}.
 */
final class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;
    private final String field;
    private final String allow;

    ApiProblem(int status, String title, String field, String detail) {
        this(status, title, field, detail, null);
    }

    private ApiProblem(int status, String title, String field, String detail, String allow) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
        this.allow = allow;
    }

    /** Value of the {@code Allow} header of a 405, else null. */
    String allow() {
        return allow;
    }

    int status() {
        return status;
    }

    String title() {
        return title;
    }

    String field() {
        return field;
    }

    static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(400, "Bad Request", field, detail);
    }

    static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "Unauthorized", null, detail);
    }

    static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", null, detail);
    }

    static ApiProblem methodNotAllowed(String detail, String allow) {
        return new ApiProblem(405, "Method Not Allowed", null, detail, allow);
    }

    static ApiProblem tooLarge(long max) {
        return new ApiProblem(413, "Content Too Large", "body", "request body exceeds " + max + " bytes");
    }

    static ApiProblem unsupportedMediaType(String contentType) {
        return new ApiProblem(415, "Unsupported Media Type", "Content-Type",
                "request body must be application/json, got '" + contentType + "'");
    }
}
