package org.tianshu.adapter.opendaylight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.tianshu.api.TianshuException;

/**
 * A small RESTCONF (RFC 8040) client for the data resource of one controller, JSON (RFC 7951) bodies. Missing data
 * is an empty answer, not an error; every other failure is an UPSTREAM {@link TianshuException} that says what was
 * asked and what the controller answered.
 */
final class Restconf {
    private static final String MEDIA = "application/yang-data+json";
    static final ObjectMapper JSON = new ObjectMapper();

    private final RestconfSettings settings;
    private final HttpClient http;
    private final String authorization;

    Restconf(RestconfSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
        this.authorization = settings.username().isEmpty() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
    }

    /** Percent-encodes a list key value for a RESTCONF path segment (RFC 8040 section 3.5.3). */
    static String key(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** GET {@code /data/<path>}; empty when the data does not exist. */
    Optional<JsonNode> get(String path) {
        HttpResponse<String> r = send("GET", path, null);
        if (missing(r)) {
            return Optional.empty();
        }
        expect(r, "GET", path);
        try {
            return Optional.of(JSON.readTree(r.body()));
        } catch (IOException e) {
            throw upstream("GET " + path + " answered no JSON: " + e.getMessage(), e);
        }
    }

    /** PUT {@code /data/<path>}: creates or replaces the data. */
    void put(String path, JsonNode body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        expect(send("PUT", path, text), "PUT", path);
    }

    /** DELETE {@code /data/<path>}; false when there was nothing to delete. */
    boolean delete(String path) {
        HttpResponse<String> r = send("DELETE", path, null);
        if (missing(r)) {
            return false;
        }
        expect(r, "DELETE", path);
        return true;
    }

    private HttpResponse<String> send(String method, String path, String body) {
        URI uri = URI.create(settings.url() + "/data/" + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout()).header("Accept", MEDIA)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", MEDIA);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw upstream("OpenDaylight controller at " + settings.url() + " did not answer " + method + " " + path
                    + " within " + settings.requestTimeout().toMillis() + " ms", e);
        } catch (IOException e) {
            throw upstream("OpenDaylight controller at " + settings.url() + " is unavailable: " + method + " " + path
                    + " failed (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw upstream("interrupted during " + method + " " + path, e);
        }
    }

    /** 404, or 409 with error-tag data-missing: what ODL answers through a mount point for absent data. */
    private static boolean missing(HttpResponse<String> r) {
        return r.statusCode() == 404 || (r.statusCode() == 409 && r.body() != null && r.body().contains("data-missing"));
    }

    private void expect(HttpResponse<String> r, String method, String path) {
        if (r.statusCode() / 100 != 2) {
            throw upstream("OpenDaylight controller at " + settings.url() + " refused " + method + " " + path
                    + ": HTTP " + r.statusCode() + " " + errorMessage(r.body()), null);
        }
    }

    /** The error-message of a RESTCONF errors body (JSON or XML), or the body itself. */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode messages = JSON.readTree(body).findValue("error-message");
            if (messages != null) {
                return messages.asText();
            }
        } catch (IOException e) {
            int start = body.indexOf("<error-message>");
            int end = body.indexOf("</error-message>");
            if (start >= 0 && end > start) {
                return body.substring(start + "<error-message>".length(), end);
            }
        }
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    private static TianshuException upstream(String message, Throwable cause) {
        return new TianshuException(TianshuException.Kind.UPSTREAM, null, message, cause);
    }
}
