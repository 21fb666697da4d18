package org.tianshu.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps a method and a path such as {@code /clouds/{id}/status} to a handler. */
final class Router {
    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");

    /** Answers one request. */
    @FunctionalInterface
    interface Handler {
        Reply handle(Exchange exchange) throws Exception;
    }

    /**
     * One route.
     *
     * @param method HTTP method
     * @param template path below {@code /api/v1}, with {@code {name}} segments
     * @param action audit action for mutating routes, null for reads
     * @param secured false only for documents served without authentication
     */
    record Route(String method, String template, String action, boolean secured, Pattern pattern,
            List<String> names, Handler handler) {
    }

    /** A matched route and the values of its path parameters. */
    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a read route. */
    Router get(String template, Handler handler) {
        return add("GET", template, null, true, handler);
    }

    /** Adds a mutating route, audited as {@code action}. */
    Router mutate(String method, String template, String action, Handler handler) {
        return add(method, template, action, true, handler);
    }

    /** Adds a read route that needs no authentication. */
    Router open(String template, Handler handler) {
        return add("GET", template, null, false, handler);
    }

    private Router add(String method, String template, String action, boolean secured, Handler handler) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAM.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        routes.add(new Route(method, template, action, secured, Pattern.compile(regex.toString()), List.copyOf(names),
                handler));
        return this;
    }

    /** Every route, in the order added. */
    List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The route for {@code method} and {@code path}; 404 or 405 (naming the allowed methods) otherwise. */
    Match match(String method, String path) {
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(path);
            if (!m.matches()) {
                continue;
            }
            if (!route.method().equals(method)) {
                allowed.add(route.method());
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < route.names().size(); i++) {
                params.put(route.names().get(i), m.group(i + 1));
            }
            return new Match(route, params);
        }
        if (allowed.isEmpty()) {
            throw ApiProblem.notFound("no resource at " + path);
        }
        throw ApiProblem.methodNotAllowed(method + " is not allowed on " + path + "; allowed: "
                + String.join(", ", allowed), String.join(", ", allowed));
    }
}
