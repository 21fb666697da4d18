package org.tianshu.integration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' routes without Java: every {@code *.yaml}/{@code *.yml} file of a directory (Camel YAML DSL) is loaded
 * into the runtime's Camel context, and {@link #scan()} loads new and changed files and removes the routes of deleted
 * ones. A file that does not parse or whose routes do not start is refused with an error naming the file; the routes
 * of its last good version, of the other files and of Tianshu keep running.
 */
public final class RouteFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    /** What is known of one file: its content as last seen, the routes running from it and why the last content was refused. */
    private record Loaded(String content, String goodContent, List<String> routeIds, String problem) {
    }

    private final CamelRuntime camel;
    private final Path directory;
    private final Map<Path, Loaded> files = new LinkedHashMap<>();

    public RouteFiles(CamelRuntime camel, Path directory) {
        this.camel = camel;
        this.directory = directory;
    }

    /** Brings the routes in line with the directory's files. */
    public synchronized void scan() {
        Map<Path, String> now = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> list = Files.list(directory)) {
                for (Path f : list.filter(RouteFiles::isRouteFile).toList()) {
                    try {
                        now.put(f, Files.readString(f, StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        LOG.warn("route file {}: cannot be read ({}); left as it was", f, e.toString());
                    }
                }
            } catch (IOException e) {
                LOG.warn("route directory {}: cannot be listed ({}); routes left as they were", directory, e.toString());
                return;
            }
        }
        for (Path gone : new ArrayList<>(files.keySet())) {
            if (!now.containsKey(gone) && Files.notExists(gone)) {
                Loaded old = files.remove(gone);
                old.routeIds().forEach(camel::removeRoute);
                LOG.info("route file {} deleted: routes {} removed", gone, old.routeIds());
            }
        }
        now.forEach((file, content) -> {
            Loaded old = files.get(file);
            if (old == null || !old.content().equals(content)) {
                load(file, content, old);
            }
        });
    }

    private void load(Path file, String content, Loaded old) {
        List<String> previous = old == null ? List.of() : old.routeIds();
        previous.forEach(camel::removeRoute);
        try {
            List<String> ids = add(file, content);
            files.put(file, new Loaded(content, content, ids, null));
            LOG.info("route file {} {}: routes {}", file, old == null ? "loaded" : "reloaded", ids);
        } catch (Exception e) {
            String problem = message(e);
            List<String> kept = List.of();
            if (old != null && old.goodContent() != null) {
                try {
                    kept = add(file, old.goodContent());
                } catch (Exception again) {
                    LOG.error("route file {}: its previous version no longer starts either ({})", file, message(again));
                }
            }
            files.put(file, new Loaded(content, kept.isEmpty() ? null : old.goodContent(), kept, problem));
            LOG.error("route file {} refused: {}{}", file, problem,
                    kept.isEmpty() ? "" : "; its previous routes " + kept + " keep running");
        }
    }

    /** Adds the file's routes; on any failure removes the ones it added and throws. */
    private List<String> add(Path file, String content) throws Exception {
        Set<String> before = routeIds();
        try {
            camel.withLoader(() -> {
                RoutesLoader loader = PluginHelper.getRoutesLoader(camel.context());
                // Camel picks the loader by extension and knows only .yaml
                Resource resource = ResourceHelper.fromString(file.toString().replaceAll("\\.yml$", ".yaml"), content);
                Collection<RoutesBuilder> builders = loader.findRoutesBuilders(resource);
                for (RoutesBuilder b : builders) {
                    camel.context().addRoutes(b);
                }
                return null;
            });
        } catch (RuntimeException e) {
            Set<String> added = routeIds();
            added.removeAll(before);
            added.forEach(camel::removeRoute);
            throw e;
        }
        Set<String> added = routeIds();
        added.removeAll(before);
        if (added.isEmpty()) {
            throw new IllegalArgumentException("the file defines no route");
        }
        return List.copyOf(added);
    }

    private Set<String> routeIds() {
        Set<String> ids = new HashSet<>();
        for (Route r : camel.routes()) {
            ids.add(r.getRouteId());
        }
        return ids;
    }

    /** The routes running from each file. */
    public synchronized Map<Path, List<String>> routes() {
        Map<Path, List<String>> out = new TreeMap<>();
        files.forEach((f, l) -> out.put(f, l.routeIds()));
        return out;
    }

    /** Why each refused file was refused. */
    public synchronized Map<Path, String> problems() {
        Map<Path, String> out = new TreeMap<>();
        files.forEach((f, l) -> {
            if (l.problem() != null) {
                out.put(f, l.problem());
            }
        });
        return out;
    }

    private static boolean isRouteFile(Path f) {
        String n = f.getFileName().toString();
        return Files.isRegularFile(f) && (n.endsWith(".yaml") || n.endsWith(".yml"));
    }

    /** The innermost useful message of a failure, on one line. */
    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String top = String.valueOf(e.getMessage());
        String root = String.valueOf(t.getMessage());
        String text = top.contains(root) ? top : top + " (" + t.getClass().getSimpleName() + ": " + root + ")";
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
