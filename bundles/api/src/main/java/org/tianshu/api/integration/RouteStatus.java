package org.tianshu.api.integration;

/**
 * One integration route.
 *
 * @param id the route id
 * @param source {@code built-in}, {@code webhook}, or the route file it was loaded from
 * @param state e.g. {@code Started}, {@code Stopped}
 */
public record RouteStatus(String id, String source, String state) {
}
