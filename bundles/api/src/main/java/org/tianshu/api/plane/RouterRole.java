package org.tianshu.api.plane;

/** The tier a backbone router serves in. */
public enum RouterRole {
    /** Core router of the provincial backbone (capital, DR site). */
    CORE,
    /** Aggregation router of a city or county. */
    AGGREGATION,
    /** Access router where sites attach (township, department premises). */
    ACCESS
}
