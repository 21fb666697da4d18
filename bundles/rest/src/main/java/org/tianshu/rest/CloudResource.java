package org.tianshu.rest;

import java.util.Map;
import java.util.TreeSet;
import org.tianshu.api.Caller;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.Credentials;

/** {@code /clouds} and {@code /credentials}: onboarded clouds, their status, sync and drift. */
final class CloudResource {
    /** Body of {@code POST /clouds}. */
    record CloudBody(String id, String name, String kind, String city, String region, Integer securityZone,
            Boolean xinchuang, String endpoint, String credentialsRef, Map<String, String> options) {
    }

    /** Body of {@code PUT /credentials/{ref}}. */
    record CredentialsBody(Map<String, String> values) {
    }

    /** Answer of {@code PUT /credentials/{ref}}: the keys stored, never the values. */
    record CredentialsStored(String ref, TreeSet<String> keys) {
    }

    private final Services s;

    CloudResource(Services services) {
        this.s = services;
    }

    void routes(Router r) {
        r.get("/clouds", x -> Reply.ok(s.clouds().list()));
        r.mutate("POST", "/clouds", "cloud.register", x -> {
            CloudBody b = x.body(CloudBody.class);
            x.target("cloud/" + b.id());
            Cloud cloud = new Cloud(Validation.id("id", b.id()), b.name() == null ? b.id() : b.name(),
                    CloudKind.parse("kind", Exchange.required("kind", b.kind())), Exchange.required("city", b.city()),
                    b.region(), Exchange.required("securityZone", b.securityZone()),
                    b.xinchuang() != null && b.xinchuang(), Exchange.required("endpoint", b.endpoint()),
                    Exchange.required("credentialsRef", b.credentialsRef()), b.options());
            Cloud created = s.cloudAdmin().register(cloud, x.caller());
            return Reply.created(created, "/api/v1/clouds/" + created.id());
        });
        r.get("/clouds/{id}", x -> Reply.ok(s.clouds().get(x.path("id"))));
        r.mutate("DELETE", "/clouds/{id}", "cloud.unregister", x -> {
            x.target("cloud/" + x.path("id"));
            s.cloudAdmin().unregister(x.path("id"), x.caller());
            return Reply.noContent();
        });
        r.get("/clouds/{id}/status", x -> Reply.ok(s.clouds().status(x.path("id"))));
        r.mutate("POST", "/clouds/{id}/sync", "cloud.sync", x -> {
            x.target("cloud/" + x.path("id"));
            x.caller().checkOperator();
            return Reply.ok(s.inventory().sync(x.path("id")));
        });
        r.get("/clouds/{id}/drift", x -> {
            // drift lists workloads of every department
            x.caller().checkOperator();
            return Reply.ok(s.inventory().drift(x.path("id")));
        });
        r.mutate("PUT", "/credentials/{ref}", "credentials.put", x -> {
            Caller caller = x.caller();
            caller.checkOperator();
            CredentialsBody b = x.body(CredentialsBody.class);
            Map<String, String> values = Exchange.required("values", b.values());
            s.cloudAdmin().putCredentials(new Credentials(x.path("ref"), values), caller);
            return Reply.ok(new CredentialsStored(x.path("ref"), new TreeSet<>(values.keySet())));
        });
    }
}
