package org.tianshu.api.metrics;

/**
 * Counters of a {@link MetricsSink}.
 *
 * @param buffered points accepted and not yet stored
 * @param dropped points refused because the buffer was full
 * @param written points stored
 * @param lastError the last write error, null if the last write succeeded or none was tried
 */
public record SinkStats(long buffered, long dropped, long written, String lastError) {
}
