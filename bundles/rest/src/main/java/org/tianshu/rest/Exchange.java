package org.tianshu.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;

/** One request as the handlers see it: path parameters, query, body, caller; and the audit target. */
final class Exchange {
    private final HttpServletRequest request;
    private final Map<String, String> params;
    private final Caller caller;
    private final long maxBodyBytes;
    private String target;

    Exchange(HttpServletRequest request, Map<String, String> params, Caller caller, long maxBodyBytes,
            String target) {
        this.request = request;
        this.params = params;
        this.caller = caller;
        this.maxBodyBytes = maxBodyBytes;
        this.target = target;
    }

    /** The authenticated caller (null only on open routes). */
    Caller caller() {
        return caller;
    }

    /** Path parameter {@code name}. */
    String path(String name) {
        return params.get(name);
    }

    /** Query parameter {@code name}, null when absent or empty. */
    String query(String name) {
        String v = request.getParameter(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** Query parameter {@code name} as an integer in [min, max], or {@code fallback}; 400 naming it otherwise. */
    int queryInt(String name, int fallback, int min, int max) {
        String v = query(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw TianshuException.invalid(name, name + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw TianshuException.invalid(name, name + " must be an integer, got '" + v + "'");
        }
    }

    /** Request header {@code name}, null when absent or blank. */
    String header(String name) {
        String v = request.getHeader(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The body parsed as {@code type}; 400/413/415 naming what is wrong. */
    <T> T body(Class<T> type) throws IOException {
        return Json.read(raw("application/json"), type);
    }

    /** The body as text in one of {@code mediaTypes} (UTF-8); 413/415 naming what is wrong. */
    String text(String... mediaTypes) throws IOException {
        return new String(raw(mediaTypes), java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] raw(String... mediaTypes) throws IOException {
        String contentType = request.getContentType();
        if (contentType != null && java.util.Arrays.stream(mediaTypes)
                .noneMatch(m -> contentType.toLowerCase(java.util.Locale.ROOT).startsWith(m))) {
            throw ApiProblem.unsupportedMediaType(contentType);
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw ApiProblem.tooLarge(maxBodyBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                if (out.size() > maxBodyBytes) {
                    throw ApiProblem.tooLarge(maxBodyBytes);
                }
            }
        }
        return out.toByteArray();
    }

    /** Names what a mutating call acts on, for the audit log, e.g. {@code cloud/chengdu-os}. */
    void target(String target) {
        this.target = target;
    }

    String target() {
        return target;
    }

    /** {@code value} must be present: 400 naming {@code field} otherwise. */
    static <T> T required(String field, T value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw TianshuException.invalid(field, field + " is required");
        }
        return value;
    }
}
