package org.tianshu.api.plane;

/**
 * The answer to a {@link PathRequest}: the paths that meet it (and, once admitted, hold its bandwidth).
 *
 * @param request the request answered
 * @param primary the primary path: the shortest in latency that has the bandwidth free
 * @param backup  for {@link Protection#ONE_PLUS_ONE_SRLG_DISJOINT}, the backup path sharing no link and no SRLG with
 *                the primary; otherwise null
 */
public record PathAnswer(PathRequest request, Path primary, Path backup) {
    /** The reservation id, the request's. */
    public String id() {
        return request.id();
    }
}
