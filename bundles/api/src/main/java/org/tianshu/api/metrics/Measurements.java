package org.tianshu.api.metrics;

import java.util.Set;

/** The measurements Tianshu records, by name: what dashboards may query. */
public final class Measurements {
    /** One point per event: tags {@code type}, {@code cloud}, {@code department}; field {@code count}. */
    public static final String EVENTS = "events";
    /** Sampled capacity and allocation per cloud: tags {@code cloud}, {@code city}. */
    public static final String CAPACITY = "capacity";
    /** Efficiency per cloud, department and host: tags {@code level}, {@code cloud}, {@code department}, {@code host}. */
    public static final String EFFICIENCY = "efficiency";
    /** Placement decisions per second: tags {@code outcome}, {@code cloud}, {@code kind}, {@code department}. */
    public static final String PLACEMENT = "placement";
    /** Business-plane SLO checks per plane and path: tags {@code plane}, {@code from}, {@code to}. */
    public static final String PLANE_SLO = "plane_slo";
    /** API requests per second: tags {@code method}, {@code route}, {@code status}. */
    public static final String API_REQUEST = "api_request";

    /** RPO checks per protection group: tags {@code group}, {@code protected}, {@code recovery}. */
    public static final String DR_RPO = "dr_rpo";
    /** Finished DR runs (RTO): tags {@code plan}, {@code group}, {@code operation}, {@code outcome}. */
    public static final String DR_RUN = "dr_run";
    /** Finished DR steps: tags {@code plan}, {@code operation}, {@code step}, {@code priority}, {@code workload}. */
    public static final String DR_STEP = "dr_step";

    /** Every measurement above. */
    public static final Set<String> ALL = Set.of(EVENTS, CAPACITY, EFFICIENCY, PLACEMENT, PLANE_SLO, API_REQUEST, DR_RPO,
            DR_RUN, DR_STEP);

    private Measurements() {
    }
}
