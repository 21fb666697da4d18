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

    int objects() {
        return store.count();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (token != null && !("Bearer " + token).equals(request.getHeader("Authorization"))) {
            return new MockResponse().setResponseCode(401).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
        }
        Queue<ServerResponse> q = expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (q != null && !q.isEmpty()) {
            return fixed.dispatch(request);
        }
        return store.dispatch(request);
    }

    @Override
    public void shutdown() {
        store.shutdown();
        fixed.shutdown();
    }
}
