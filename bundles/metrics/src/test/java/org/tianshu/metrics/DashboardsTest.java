package org.tianshu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tianshu.api.metrics.Measurements;

/**
 * The Grafana dashboards shipped in the distribution ({@code karaf-assembly/src/main/resources/grafana}) are valid JSON
 * and every InfluxQL query in them (panels and template variables) reads only measurements Tianshu records.
 */
class DashboardsTest {
    private static final Path DASHBOARDS = Path.of("../../karaf-assembly/src/main/resources/grafana");
    private static final Pattern FROM = Pattern.compile("FROM\\s+\"([^\"]+)\"");

    @Test
    void everyDashboardParsesAndQueriesOnlyRecordedMeasurements() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DASHBOARDS)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("dashboards in " + DASHBOARDS.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(3);
        ObjectMapper json = new ObjectMapper();
        Set<String> uids = new HashSet<>();
        Set<String> queried = new HashSet<>();
        for (Path f : files) {
            JsonNode d = json.readTree(f.toFile());
            assertThat(uids.add(d.path("uid").asText())).as(f + ": uid unique and present").isTrue();
            List<String> queries = new ArrayList<>();
            d.path("templating").path("list").forEach(v -> queries.add(v.path("query").asText()));
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : d.path("panels")) {
                assertThat(ids.add(p.path("id").asInt())).as(f + ": panel id " + p.path("id") + " unique").isTrue();
                assertThat(p.path("targets")).as(f + ": panel " + p.path("title") + " has queries").isNotEmpty();
                p.path("targets").forEach(t -> queries.add(t.path("query").asText()));
            }
            for (String q : queries) {
                Matcher m = FROM.matcher(q);
                int found = 0;
                while (m.find()) {
                    found++;
                    assertThat(Measurements.ALL).as(f.getFileName() + ": " + q).contains(m.group(1));
                    queried.add(m.group(1));
                }
                assertThat(found).as(f.getFileName() + ": a measurement named in " + q).isPositive();
            }
        }
        assertThat(queried).as("the measurements of this issue are on a dashboard")
                .contains(Measurements.PLACEMENT, Measurements.API_REQUEST, Measurements.PLANE_SLO, Measurements.CAPACITY);
    }
}
