package org.tianshu.adapter.influxdb;

/**
 * One point's line protocol: characters {@code [start, end)} of {@code text}, the lines of all the points of one
 * {@link InfluxSink#write} call. The buffer holds these small references, so a buffered point costs 24 bytes and its
 * share of one large string instead of a string of its own (fewer objects for the collector to copy while InfluxDB is
 * slower than the producers), and the transport copies runs of consecutive lines at once.
 */
record Line(String text, int start, int end) {
    int length() {
        return end - start;
    }
}
