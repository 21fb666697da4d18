package org.tianshu.rest;

/** {@code /audit}: the latest audit events, for operators. */
final class AuditResource {
    private final Services s;

    AuditResource(Services services) {
        this.s = services;
    }

    void routes(Router r) {
        r.get("/audit", x -> {
            x.caller().checkOperator();
            return Reply.ok(s.audit().recent(x.queryInt("limit", 100, 1, 10_000), x.caller()));
        });
    }
}
