package org.tianshu.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.metrics.Measurements;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.MetricsRecorder;
import org.tianshu.api.metrics.TimingSums;

/**
 * The JSON API under {@code /api/v1}: authenticates with HTTP Basic, routes to the resources,
 * audits every mutating call, and reports errors as {@code application/problem+json} (RFC 9457)
 * with a {@code field} member naming the offending input. Requests are summed per method, route template and status
 * class into measurement {@code api_request} while a {@link MetricsRecorder} is set, and recorded by
 * {@link #recordRequests()}.
 */
public class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    static final String PROBLEM_JSON = "application/problem+json";
    static final String OPENAPI = "/org/tianshu/rest/openapi.json";

    private final transient Services services;
    private final transient Router router = new Router();
    private transient volatile Settings settings;
    private transient volatile Authenticator authenticator;
    private transient volatile MetricsRecorder recorder;
    private final transient TimingSums requests = new TimingSums(Measurements.API_REQUEST, "ms", null);

    public ApiServlet(Services services, Authenticator authenticator, Settings settings) {
        this.services = services;
        this.settings = settings;
        this.authenticator = authenticator;
        router.open("/openapi.json", x -> Reply.ok(openApi()));
        new CloudResource(services).routes(router);
        new InventoryResource(services).routes(router);
        new DepartmentResource(services).routes(router);
        new WorkloadResource(services, () -> this.settings.maxWaitSeconds()).routes(router);
        new AuditResource(services).routes(router);
        new SchedulingResource(services).routes(router);
        new PlaneResource(services).routes(router);
        new DrResource(services, () -> this.settings.maxWaitSeconds()).routes(router);
        new IntegrationResource(services).routes(router);
    }

    /** Applies new settings and the authenticator that goes with them. */
    protected final void configure(Settings settings, Authenticator authenticator) {
        this.settings = settings;
        this.authenticator = authenticator;
    }

    /** Records requests with {@code recorder} from now on; null stops it. */
    protected final void recordWith(MetricsRecorder recorder) {
        this.recorder = recorder;
    }

    /** The recorder in use, null when none. */
    protected final MetricsRecorder recorder() {
        return recorder;
    }

    /** Records the requests summed since the last call: one point per method, route template and status class. */
    protected final void recordRequests() {
        List<MetricPoint> points = requests.drain(Instant.now());
        MetricsRecorder r = recorder;
        if (r != null && !points.isEmpty()) {
            try {
                r.record(points);
            } catch (RuntimeException e) {
                LOG.warn("recording {} API request points failed", points.size(), e);
            }
        }
    }

    /** Every route served, for the OpenAPI check. */
    final List<Router.Route> routes() {
        return router.routes();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (recorder == null) {
            serve(req, resp);
            return;
        }
        long t0 = System.nanoTime();
        String template = "unmatched";
        try {
            template = serve(req, resp);
        } finally {
            requests.add(Map.of("method", req.getMethod(), "route", template, "status", resp.getStatus() / 100 + "xx"),
                    System.nanoTime() - t0, 0);
        }
    }

    /** Answers the request; returns the route template it matched ({@code unmatched} when none). */
    private String serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        Router.Match match;
        try {
            match = router.match(req.getMethod(), path);
        } catch (ApiProblem p) {
            problem(req, resp, p.status(), p.title(), "about:blank", p.field(), p.getMessage(), p.allow());
            return "unmatched";
        }
        Router.Route route = match.route();
        String template = route.template();
        Caller caller = null;
        if (route.secured()) {
            Optional<Caller> who = authenticate(req);
            if (who.isEmpty()) {
                resp.setHeader("WWW-Authenticate", "Basic realm=\"tianshu\", charset=\"UTF-8\"");
                problem(req, resp, 401, "Unauthorized", "about:blank", null,
                        "valid HTTP Basic credentials are required", null);
                return template;
            }
            caller = who.get();
        }
        Settings current = settings;
        Exchange exchange = new Exchange(req, match.params(), caller, current.maxBodyBytes(), path.substring(1));
        Reply reply;
        try {
            reply = route.handler().handle(exchange);
        } catch (TianshuException e) {
            audit(route, exchange, e.kind().name(), e.getMessage());
            problem(req, resp, e.kind().status(), title(e.kind()), type(e.kind().name()), e.field(), e.getMessage(),
                    null);
            return template;
        } catch (ApiProblem e) {
            audit(route, exchange, e.status() < 500 ? TianshuException.Kind.INVALID.name() : "ERROR", e.getMessage());
            problem(req, resp, e.status(), e.title(), e.status() == 400 ? type("INVALID") : "about:blank", e.field(),
                    e.getMessage(), null);
            return template;
        } catch (Exception e) {
            LOG.error("{} {} failed", req.getMethod(), path, e);
            audit(route, exchange, "ERROR", String.valueOf(e));
            problem(req, resp, 500, "Internal Server Error", "about:blank", null,
                    "internal error; see the server log", null);
            return template;
        }
        audit(route, exchange, "ok", null);
        resp.setStatus(reply.status());
        if (reply.location() != null) {
            resp.setHeader("Location", reply.location());
        }
        if (reply.body() instanceof Reply.Text text) {
            byte[] body = text.text().getBytes(StandardCharsets.UTF_8);
            resp.setContentType(text.contentType());
            resp.setCharacterEncoding("UTF-8");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        } else if (reply.body() instanceof Reply.Binary binary) {
            resp.setContentType(binary.contentType());
            resp.setContentLength(binary.bytes().length);
            resp.getOutputStream().write(binary.bytes());
        } else if (reply.body() != null) {
            byte[] body = Json.write(reply.body());
            resp.setContentType("application/json");
            resp.setCharacterEncoding("UTF-8");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
        return template;
    }

    private Optional<Caller> authenticate(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return authenticator.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
    }

    private void audit(Router.Route route, Exchange exchange, String outcome, String detail) {
        if (route.action() == null || exchange.caller() == null) {
            return;
        }
        try {
            services.audit().record(exchange.caller(), route.action(), exchange.target(), outcome, detail);
        } catch (RuntimeException e) {
            LOG.error("could not record audit event {} {} {} by {}", route.action(), exchange.target(), outcome,
                    exchange.caller().name(), e);
        }
    }

    private static void problem(HttpServletRequest req, HttpServletResponse resp, int status, String title,
            String type, String field, String detail, String allow) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", req.getRequestURI());
        if (field != null) {
            problem.put("field", field);
        }
        byte[] body = Json.write(problem);
        resp.setStatus(status);
        if (allow != null) {
            resp.setHeader("Allow", allow);
        }
        resp.setContentType(PROBLEM_JSON);
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static String type(String kind) {
        return "urn:tianshu:problem:" + kind.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String title(TianshuException.Kind kind) {
        return switch (kind) {
            case INVALID -> "Invalid input";
            case FORBIDDEN -> "Forbidden";
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Conflict";
            case UPSTREAM -> "Cloud error";
        };
    }

    private static Object openApi() throws IOException {
        try (InputStream in = ApiServlet.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IOException(OPENAPI + " is missing from the bundle");
            }
            return Json.MAPPER.readTree(in);
        }
    }
}
