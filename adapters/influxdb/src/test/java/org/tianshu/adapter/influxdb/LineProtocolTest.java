package org.tianshu.adapter.influxdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tianshu.api.metrics.MetricPoint;

class LineProtocolTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00.000000123Z");

    private static String line(MetricPoint p) {
        StringBuilder b = new StringBuilder();
        LineProtocol.append(p, b);
        return b.toString();
    }

    @Test
    void typesTagsAndEscapes() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("count", 1L);
        fields.put("ratio", 0.5);
        fields.put("ok", true);
        fields.put("note", "say \"hi\" \\ there");
        fields.put("n", 7);
        MetricPoint p = new MetricPoint("my events", Map.of("z", "last", "cloud", "c 1,a=b", "empty", ""), fields, T);
        String line = line(p);
        // fields in the point's (unordered) map order: checked one by one
        assertThat(line).startsWith("my\\ events,cloud=c\\ 1\\,a\\=b,z=last ").endsWith(" 1795428000000000123\n");
        String fieldSet = line.substring(line.indexOf("z=last ") + 7, line.lastIndexOf(' '));
        assertThat(fieldSet.split(",(?=[a-z]+=)")).containsExactlyInAnyOrder("count=1i", "ratio=0.5", "ok=true",
                "note=\"say \\\"hi\\\" \\\\ there\"", "n=7i");
    }

    @Test
    void nonFiniteDoublesAreLeftOutAndAPointWithoutFieldsSkipped() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("nan", Double.NaN);
        fields.put("v", 2.0);
        assertThat(line(new MetricPoint("m", Map.of(), fields, T))).isEqualTo("m v=2.0 1795428000000000123\n");
        StringBuilder b = new StringBuilder("keep\n");
        assertThat(LineProtocol.append(new MetricPoint("m", Map.of(), Map.of("inf", Double.POSITIVE_INFINITY), T), b))
                .isFalse();
        assertThat(b).hasToString("keep\n");
    }

    @Test
    void tagsAreSortedAndNewlinesInNamesBecomeEscapedSpaces() {
        MetricPoint p = new MetricPoint("m", Map.of("d", "4", "b", "x\ny", "a", "1", "c", "3"), Map.of("v", 1L), T);
        assertThat(line(p)).isEqualTo("m,a=1,b=x\\ y,c=3,d=4 v=1i 1795428000000000123\n");
    }
}
