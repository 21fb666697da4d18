package org.tianshu.assembly;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.tianshu.api.Caller;
import org.tianshu.api.TianshuException;
import org.tianshu.api.audit.AuditService;
import org.tianshu.api.cloud.CloudDriver;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudService;
import org.tianshu.api.cloud.InventoryService;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.event.EventType;
import org.tianshu.api.integration.AlarmService;
import org.tianshu.api.integration.RouteService;
import org.tianshu.api.integration.WebhookService;
import org.tianshu.api.metrics.MetricsSink;
import org.tianshu.api.provisioning.ProvisioningService;
import org.tianshu.api.dr.DrService;
import org.tianshu.api.tenancy.Department;
import org.tianshu.api.tenancy.DepartmentService;
import org.tianshu.api.tenancy.QuotaService;

/**
 * Boots the built distribution (the tar.gz users run) and checks from inside it that the Tianshu
 * bundles and DS components are active, that the services work on the embedded database, that the
 * REST API answers over HTTP with JAAS Basic authentication, and that a {@code tianshu:} shell
 * command runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT {
    /** System property that carries the HTTP port chosen for the container into the container. */
    private static final String HTTP_PORT = "tianshu.it.http.port";
    private static final long WAIT_MILLIS = 60_000;
    private static final Set<String> BUNDLES = Set.of("org.tianshu.api", "org.tianshu.persistence",
            "org.tianshu.audit", "org.tianshu.inventory", "org.tianshu.quota", "org.tianshu.provisioning",
            "org.tianshu.dr",
            "org.tianshu.rest", "org.tianshu.shell", "org.tianshu.adapter.kubernetes", "org.tianshu.events",
            "org.tianshu.integration",
            "org.tianshu.metrics", "org.tianshu.adapter.influxdb", "org.tianshu.scheduler", "org.tianshu.slicing",
            "org.tianshu.planes");

    @Inject
    BundleContext context;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    CloudService clouds;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    InventoryService inventory;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    EventPublisher events;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    DepartmentService departments;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    QuotaService quotas;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    ProvisioningService provisioning;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    AuditService audit;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    DrService dr;
    @Inject
    @Filter(value = "(cloud.kind=kubernetes)", timeout = WAIT_MILLIS)
    CloudDriver kubernetes;
    // injected so that the tests start once the integration bundle is up; used through current(...)
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    AlarmService alarms;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    RouteService routes;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    WebhookService webhooks;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    ServiceComponentRuntime scr;
    @Inject
    @Filter(timeout = WAIT_MILLIS)
    SessionFactory sessions;

    /** Set once REST has failed to come up, so the next REST test does not wait again (one container per class). */
    private static volatile AssertionError restDown;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Configuration
    public Option[] config() throws IOException {
        File distribution = new File(System.getProperty("tianshu.distribution"));
        String localRepository = new File(System.getProperty("maven.repo.local")).toURI().toString();
        int httpPort = freePort();
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(distribution.toURI().toURL().toString())
                    .name("Tianshu")
                    .unpackDirectory(new File(distribution.getParentFile(), "pax-exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            vmOption("-Xmx512m"),
            java17Options(),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                    "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                            + localRepository + "@id=local@snapshots"),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port",
                    Integer.toString(httpPort)),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
            // the InfluxDB sink exists only when configured: configured here (no server on that port; it buffers)
            editConfigurationFilePut("etc/org.tianshu.adapter.influxdb.cfg", "url", "http://127.0.0.1:" + freePort()),
            // a webhook to a port nobody listens on: its events end as dead letters
            editConfigurationFilePut("etc/org.tianshu.integration.webhook-it.cfg", "name", "it"),
            editConfigurationFilePut("etc/org.tianshu.integration.webhook-it.cfg", "url",
                    "http://127.0.0.1:" + freePort() + "/hook"),
            editConfigurationFilePut("etc/org.tianshu.integration.webhook-it.cfg", "types", "DR_STEP_FAILED"),
            editConfigurationFilePut("etc/org.tianshu.integration.webhook-it.cfg", "retries", "1"),
            editConfigurationFilePut("etc/org.tianshu.integration.webhook-it.cfg", "backoffMillis", "100"),
            systemProperty(HTTP_PORT).value(Integer.toString(httpPort)),
        };
    }

    /**
     * What {@code bin/karaf} adds on Java 9 and later and Pax Exam's runner does not: without the
     * patched {@code java.base}, Karaf's specs activator fails with NoClassDefFoundError OsgiLocator.
     * Paths are relative to the Karaf home, the runner's working directory.
     */
    private static Option java17Options() {
        String version = System.getProperty("karaf.version");
        List<Option> options = new ArrayList<>();
        for (String option : List.of("--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module=java.base=lib/endorsed/org.apache.karaf.specs.locator-" + version + ".jar",
                "--patch-module=java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + version + ".jar",
                "--add-opens=java.base/java.security=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED")) {
            options.add(vmOption(option));
        }
        return composite(options.toArray(new Option[0]));
    }

    /** The departments of the lab users {@code health} and {@code finance}, created once per container. */
    @Before
    public void departmentsOfTheLabUsers() {
        for (Department d : List.of(new Department("health", "Health Commission", "health@gov.example"),
                new Department("finance", "Finance Department", null))) {
            if (departments.list(Caller.SYSTEM).stream().noneMatch(x -> x.id().equals(d.id()))) {
                departments.create(d, Caller.SYSTEM);
            }
        }
    }

    @Test
    public void everyTianshuBundleIsActive() throws InterruptedException {
        Map<String, String> states = new TreeMap<>();
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        do {
            states.clear();
            for (Bundle b : context.getBundles()) {
                if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.tianshu")) {
                    states.put(b.getSymbolicName(), state(b.getState()));
                }
            }
            if (states.keySet().containsAll(BUNDLES) && states.values().stream().allMatch("ACTIVE"::equals)) {
                return;
            }
            Thread.sleep(500);
        } while (System.currentTimeMillis() < deadline);
        fail("expected at least " + new TreeSet<>(BUNDLES) + ", all ACTIVE; got " + states);
    }

    @Test
    public void componentsAreActiveWithTheirServices() {
        assertNotNull(clouds);
        assertNotNull(inventory);
        assertNotNull(events);
        assertNotNull(quotas);
        assertNotNull(provisioning);
        assertNotNull(dr);
        assertNotNull(audit);
        assertEquals(CloudKind.KUBERNETES, kubernetes.kind());

        List<String> problems = new ArrayList<>();
        List<String> active = new ArrayList<>();
        Set<String> injected = Set.of(CloudService.class.getName(), InventoryService.class.getName(),
                DepartmentService.class.getName(), QuotaService.class.getName(), ProvisioningService.class.getName(),
                AuditService.class.getName(), CloudDriver.class.getName(), EventPublisher.class.getName(),
                MetricsSink.class.getName());
        Set<String> provided = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("org.tianshu")) {
                continue;
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                if (!scr.isComponentEnabled(d)) {
                    problems.add(d.name + " is disabled");
                    continue;
                }
                var configurations = scr.getComponentConfigurationDTOs(d);
                if (configurations.isEmpty()) {
                    problems.add(d.name + " has no configuration (policy " + d.configurationPolicy + ")");
                }
                for (ComponentConfigurationDTO c : configurations) {
                    if (c.state == ComponentConfigurationDTO.ACTIVE) {
                        active.add(d.name);
                        for (String service : d.serviceInterfaces) {
                            provided.add(service);
                        }
                    } else if (c.state == ComponentConfigurationDTO.SATISFIED) {
                        // a delayed component nobody uses yet; the ones behind the injected services are ACTIVE
                        for (String service : d.serviceInterfaces) {
                            if (injected.contains(service)) {
                                problems.add(d.name + " provides " + service + " but is only SATISFIED");
                            }
                        }
                    } else {
                        problems.add(d.name + " is " + componentState(c.state) + unsatisfied(c)
                                + (c.failure == null ? "" : ": " + c.failure));
                    }
                }
            }
        }
        assertTrue("component problems: " + problems, problems.isEmpty());
        assertTrue("services without an active Tianshu component: " + difference(injected, provided) + "; active: "
                + active, provided.containsAll(injected));
    }

    @Test
    public void departmentsPersistInTheEmbeddedDatabase() {
        String id = "it-" + UUID.randomUUID().toString().substring(0, 8);
        Department created = departments.create(new Department(id, "Pax Exam 测试厅", "it@gov.example"),
                Caller.SYSTEM);
        assertEquals(new Department(id, "Pax Exam 测试厅", "it@gov.example"), created);
        assertEquals(created, departments.get(id));
        assertTrue(departments.list(Caller.SYSTEM).contains(created));
        try {
            departments.create(new Department(id, "again", null), Caller.SYSTEM);
            fail("a second department '" + id + "' was created");
        } catch (TianshuException expected) {
            assertEquals(TianshuException.Kind.CONFLICT, expected.kind());
        }
        departments.delete(id, Caller.SYSTEM);
        assertFalse(departments.list(Caller.SYSTEM).stream().anyMatch(d -> d.id().equals(id)));
    }

    @Test
    public void restAnswersWithJaasBasicAuthentication() throws Exception {
        HttpResponse<String> openApi = awaitOpenApi();
        assertEquals(200, openApi.statusCode());
        assertTrue(openApi.body(), openApi.body().contains("\"openapi\""));

        HttpResponse<String> anonymous = send(request("/departments").GET().build());
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));

        HttpResponse<String> wrongPassword = send(request("/departments", "operator", "wrong").GET().build());
        assertEquals(401, wrongPassword.statusCode());

        HttpResponse<String> operator = send(request("/departments", "operator", "operator").GET().build());
        assertEquals(operator.body(), 200, operator.statusCode());
        assertTrue(operator.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(operator.body(), hasMember(operator.body(), "id", "health"));
        assertTrue(operator.body(), hasMember(operator.body(), "id", "finance"));

        HttpResponse<String> health = send(request("/departments", "health", "health").GET().build());
        assertEquals(health.body(), 200, health.statusCode());
        assertTrue(health.body(), hasMember(health.body(), "id", "health"));
        assertFalse(health.body(), hasMember(health.body(), "id", "finance"));

        HttpResponse<String> foreign = send(request("/departments/finance", "health", "health").GET().build());
        assertEquals(foreign.body(), 403, foreign.statusCode());
    }

    @Test
    public void malformedPostIsAProblemNamingTheField() throws Exception {
        awaitOpenApi();
        HttpResponse<String> badId = send(request("/departments", "operator", "operator")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"Not Valid!\",\"name\":\"Broken\"}")).build());
        assertProblem(badId, 400, "id");

        HttpResponse<String> badJson = send(request("/departments", "operator", "operator")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"broken\",\"name\": }")).build());
        assertProblem(badJson, 400, "name");

        assertFalse(departments.list(Caller.SYSTEM).stream().anyMatch(d -> d.id().equals("broken")));
    }

    /**
     * An optional feature stopping and starting changes what the API answers, not whether it is there: the servlet
     * keeps its registration (a re-registration answered 404 for a moment after a restart).
     */
    @Test
    public void apiStaysRegisteredWhileAnOptionalFeatureStopsAndStarts() throws Exception {
        awaitOpenApi();
        Object servlet = apiServletId();
        Bundle scheduler = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("org.tianshu.scheduler")).findFirst().orElseThrow();
        scheduler.stop();
        try {
            HttpResponse<String> without = send(request("/efficiency", "operator", "operator").GET().build());
            assertEquals(without.body(), 409, without.statusCode());
            assertTrue(without.body(), without.body().contains("tianshu-scheduler"));
        } finally {
            scheduler.start();
        }
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        HttpResponse<String> with = send(request("/efficiency", "operator", "operator").GET().build());
        while (with.statusCode() != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            with = send(request("/efficiency", "operator", "operator").GET().build());
        }
        assertEquals(with.body(), 200, with.statusCode());
        assertEquals(servlet, apiServletId());
    }

    private Object apiServletId() throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getServiceReferences("javax.servlet.Servlet",
                "(osgi.http.whiteboard.servlet.pattern=/api/v1/*)");
        assertNotNull("the API servlet is registered", refs);
        assertEquals(1, refs.length);
        return refs[0].getProperty(Constants.SERVICE_ID);
    }

    /** The embedded Camel context started in the distribution and its SLO route turns an event into a stored alarm. */
    @Test
    public void camelRouteTurnsAnSloViolationIntoAnAlarm() throws InterruptedException {
        String plane = "plane/it-" + UUID.randomUUID().toString().substring(0, 8);
        Event violated = Event.now(EventType.PLANE_SLO_VIOLATED, plane, null, null, Map.of("latencyMs", "48"));
        awaitOutcome(violated, () -> current(AlarmService.class).list(true, Caller.SYSTEM).stream()
                .anyMatch(a -> a.subject().equals(plane)),
                () -> "no alarm for " + plane + ": " + current(AlarmService.class).list(false, Caller.SYSTEM));
    }

    /** A configured webhook that cannot deliver keeps the event as a dead letter in the database. */
    @Test
    public void undeliverableWebhookEventBecomesADeadLetter() throws InterruptedException {
        String subject = "dr-run/it-" + UUID.randomUUID().toString().substring(0, 8);
        Event failed = Event.now(EventType.DR_STEP_FAILED, subject, null, null, Map.of("step", "promote"));
        awaitOutcome(failed, () -> current(WebhookService.class).deadLetters(Caller.SYSTEM).stream()
                .anyMatch(d -> d.subject().equals(subject) && d.webhook().equals("it") && d.attempts() == 2),
                () -> "no dead letter for " + subject + ": " + current(WebhookService.class).deadLetters(Caller.SYSTEM)
                        + "; routes " + current(RouteService.class).routes(Caller.SYSTEM));
    }

    /**
     * Publishes an event through the bus registered now and waits for its outcome, publishing again every few
     * seconds: while the distribution settles, a component whose configuration file arrives late is replaced, and
     * an event handed to the replaced bus is gone (the routes are idempotent for these events).
     */
    private void awaitOutcome(Event event, BooleanSupplier outcome, Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        long republish = 0;
        while (!outcome.getAsBoolean()) {
            long now = System.currentTimeMillis();
            if (now > deadline) {
                fail(failure.get() + " within " + WAIT_MILLIS + " ms");
            }
            if (now >= republish) {
                current(EventPublisher.class).publish(event);
                republish = now + 5000;
            }
            Thread.sleep(200);
        }
    }

    /** The service registered now (an injected one may have been replaced since). */
    private <T> T current(Class<T> type) {
        return context.getService(context.getServiceReference(type));
    }

    /** Camel's YAML DSL works under OSGi: a route file in etc/routes is loaded, a malformed one refused by name. */
    @Test
    public void yamlRouteFilesAreLoadedAndABadOneRefused() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("karaf.etc"), "routes");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("it-good.yaml"), "- route:\n    id: it-yaml\n    from:\n"
                + "      uri: tianshu-events:it-yaml?types=LINK_UP\n      steps:\n"
                + "        - log: \"link up ${header.TianshuSubject}\"\n");
        java.nio.file.Files.writeString(dir.resolve("it-bad.yaml"), "- route:\n    from: [unclosed\n");
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (current(RouteService.class).routes(Caller.SYSTEM).stream().noneMatch(r -> r.id().equals("it-yaml") && r.state().equals("Started"))
                || !current(RouteService.class).refusedFiles(Caller.SYSTEM).keySet().stream().anyMatch(f -> f.endsWith("it-bad.yaml"))) {
            if (System.currentTimeMillis() > deadline) {
                fail("route files not handled within " + WAIT_MILLIS + " ms: " + current(RouteService.class).routes(Caller.SYSTEM) + " "
                        + current(RouteService.class).refusedFiles(Caller.SYSTEM));
            }
            Thread.sleep(200);
        }
        String listed = execute("tianshu:routes");
        assertTrue(listed, listed.contains("it-yaml"));
        assertTrue(listed, listed.contains("Refused") && listed.contains("it-bad.yaml"));
    }

    @Test
    public void shellCommandListsDepartments() throws Exception {
        String all = execute("tianshu:dept-list");
        assertTrue(all, all.contains("health"));
        assertTrue(all, all.contains("finance"));
        assertTrue(all, all.contains("Health Commission"));

        String own = execute("tianshu:dept-list", new UserPrincipal("health"), new RolePrincipal("dept-health"));
        assertTrue(own, own.contains("Health Commission"));
        assertFalse(own, own.contains("finance"));
    }

    private HttpResponse<String> awaitOpenApi() throws Exception {
        if (restDown != null) {
            throw new AssertionError("REST did not come up in an earlier test: " + restDown.getMessage(), restDown);
        }
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        HttpResponse<String> last = null;
        Exception failure = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                last = send(request("/openapi.json").GET().build());
                if (last.statusCode() == 200) {
                    return last;
                }
            } catch (IOException e) {
                failure = e;
            }
            Thread.sleep(500);
        }
        restDown = new AssertionError("GET /api/v1/openapi.json did not answer 200 within " + WAIT_MILLIS
                + " ms; last: " + (last == null ? failure : last.statusCode() + " " + last.body()), failure);
        throw restDown;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + System.getProperty(HTTP_PORT) + "/api/v1"
                + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpRequest.Builder request(String path, String user, String password) {
        return request(path).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8)));
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertEquals(response.body(), status, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(response.body(), hasMember(response.body(), "status", Integer.toString(status)));
        assertTrue(response.body(), hasMember(response.body(), "field", field));
    }

    /** True if {@code json} has a member {@code name} whose string or number value is {@code value}. */
    private static boolean hasMember(String json, String name, String value) {
        return Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"?" + Pattern.quote(value) + "[\",}\\s]")
                .matcher(json).find();
    }

    /**
     * Runs {@code command} in a new shell session, as the JAAS subject made of {@code principals}
     * (none: as the runtime itself), retrying while the command is not registered yet; its output.
     */
    @SuppressWarnings("removal")
    private String execute(String command, Principal... principals) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            while (true) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                PrintStream out = new PrintStream(bytes, true, UTF_8);
                Session session = sessions.create(System.in, out, out);
                PrivilegedExceptionAction<Object> run = () -> session.execute(command);
                Future<Object> result = executor.submit(() -> {
                    if (principals.length == 0) {
                        return run.run();
                    }
                    Subject subject = new Subject();
                    subject.getPrincipals().addAll(List.of(principals));
                    return Subject.doAs(subject, run);
                });
                try {
                    result.get(30, TimeUnit.SECONDS);
                    out.flush();
                    return bytes.toString(UTF_8);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() instanceof PrivilegedActionException p
                            ? p.getCause() : e.getCause();
                    boolean notYet = cause != null && cause.getClass().getSimpleName().equals("CommandNotFoundException");
                    if (!notYet || System.currentTimeMillis() > deadline) {
                        throw new AssertionError(command + " failed; output: " + bytes.toString(UTF_8), cause);
                    }
                    Thread.sleep(500);
                } finally {
                    session.close();
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The etc files the distribution ships reach their components (quota's near-limit share, DR's report font). */
    @Test
    public void shippedConfigurationFilesReachTheirComponents() throws InterruptedException {
        // component: file, key, value
        Map<String, List<String>> expected = Map.of(
                "org.tianshu.quota.Quotas", List.of("org.tianshu.quota.cfg", "nearLimitShare", "0.9"),
                "org.tianshu.dr.OSGiDisasterRecovery",
                List.of("org.tianshu.dr.cfg", "reportFont", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"));
        Map<String, List<String>> seen = new TreeMap<>();
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!seen.equals(expected)) {
            if (System.currentTimeMillis() > deadline) {
                fail("expected active components configured by " + expected + ", got " + seen);
            }
            Thread.sleep(500);
            seen.clear();
            for (Bundle b : context.getBundles()) {
                for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                    if (!expected.containsKey(d.name)) {
                        continue;
                    }
                    String key = expected.get(d.name).get(1);
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        if (c.state == ComponentConfigurationDTO.ACTIVE) {
                            String file = String.valueOf(c.properties.get("felix.fileinstall.filename"));
                            seen.put(d.name, List.of(file.substring(file.lastIndexOf('/') + 1), key,
                                    String.valueOf(c.properties.get(key))));
                        }
                    }
                }
            }
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static String unsatisfied(ComponentConfigurationDTO c) {
        if (c.unsatisfiedReferences == null || c.unsatisfiedReferences.length == 0) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
            names.add(r.name + " " + r.target);
        }
        return ", unsatisfied references " + names;
    }

    private static String componentState(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "state " + state;
        };
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }
}
