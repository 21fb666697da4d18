package org.tianshu.lab.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;

/**
 * The cluster's API server: the fabric8 CRUD dispatcher (an in-memory store with watches and label selectors)
 * behind an optional bearer-token check, with the mock server's fixed answers ({@code /}, {@code /version})
 * served first. {@link #seed} stores objects directly, bypassing HTTP, the way an etcd restore would.
 */
final class LabDispatcher extends Dispatcher {
    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final MockDispatcher fixed;
    private final Store store = new Store();
    private final String token;
    private volatile MetricsServer metrics;

    /** The CRUD dispatcher with access to its store for seeding. */
    static final class Store extends KubernetesCrudDispatcher {
        void put(HasMetadata o) {
            var m = o.getMetadata();
            if (m.getUid() == null) {
                m.setUid(UUID.randomUUID().toString());
            }
            m.setCreationTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            m.setResourceVersion(String.valueOf(requestResourceVersion()));
            if (m.getGeneration() == null) {
                m.setGeneration(1L);
            }
            getMap().put(((KubernetesAttributesExtractor) getAttributeExtractor()).extract(o), Serialization.asJson(o));
        }

        int count() {
            return getMap().size();
        }
    }

    LabDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations, String token) {
        this.expectations = expectations;
        this.fixed = new MockDispatcher(expectations);
        this.token = token;
    }

    /** Stores objects as they are (status included); call before the server starts. */
    void seed(HasMetadata o) {
        store.put(o);
    }

    /** Serves the Resource Metrics API from now on (until then it answers 503, as while metrics-server starts). */
    void metrics(MetricsServer m) {
        metrics = m;
    }

    int objects() {
        return store.count();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (token != null && !("Bearer " + token).equals(request.getHeader("Authorization"))) {
            return status(401, "Unauthorized", "Unauthorized");
        }
        Queue<ServerResponse> q = expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (q != null && !q.isEmpty()) {
            return fixed.dispatch(request);
        }
        if (request.getPath().startsWith(MetricsServer.PREFIX)) {
            return metrics(request);
        }
        return store.dispatch(request);
    }

    private MockResponse metrics(RecordedRequest request) {
        MetricsServer m = metrics;
        if (!"GET".equals(request.getMethod()) || m == null) {
            return status(m == null ? 503 : 405, m == null ? "ServiceUnavailable" : "MethodNotAllowed",
                    m == null ? "the metrics API is not ready" : "the metrics API is read-only");
        }
        String path = request.getPath().split("\\?")[0];
        String body = m.get(path);
        return body == null ? status(404, "NotFound", path + " not found")
                : new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse().setResponseCode(code).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"" + message.replace("\"", "'") + "\",\"reason\":\"" + reason
                + "\",\"code\":" + code + "}");
    }

    @Override
    public void shutdown() {
        store.shutdown();
        fixed.shutdown();
    }
}
