package org.tianshu.planes;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tianshu.api.TianshuException;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.metrics.MetricPoint;
import org.tianshu.api.metrics.MetricsRecorder;
import org.tianshu.api.plane.NetworkController;
import org.tianshu.api.plane.PlaneProbe;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.Topology;
import org.tianshu.api.plane.PathComputationService;
import org.tianshu.api.plane.PlaneAdminService;
import org.tianshu.api.plane.PlaneService;
import org.tianshu.api.tenancy.DepartmentService;

/**
 * Runs the {@link PlaneManager} in the runtime (PID {@code org.tianshu.planes}) over the configured controller and
 * restores the planes at start; verifies the realised planes' SLOs and isolation every {@code verify.intervalSeconds}
 * through any {@link PlaneProbe} present ({@link PlaneVerifier}), publishing events and {@code plane_slo} points.
 */
@Component(service = {PlaneService.class, PlaneAdminService.class}, configurationPid = "org.tianshu.planes", immediate = true)
@Designate(ocd = PlanesComponent.Config.class)
public class PlanesComponent extends PlaneManager {
    private static final Logger LOG = LoggerFactory.getLogger(PlanesComponent.class);

    @ObjectClassDefinition(name = "Tianshu business planes", description = "Address pools, plane tables and the controller")
    public @interface Config {
        @AttributeDefinition(description = "IPv6 pool the planes' blocks are cut from")
        String ipv6Pool() default "fd10::/32";

        @AttributeDefinition(description = "Prefix length of a plane's IPv6 block", min = "1", max = "127")
        int ipv6PlanePrefixLength() default 40;

        @AttributeDefinition(description = "Prefix length of a site's IPv6 prefix inside its plane's block", min = "2", max = "128")
        int ipv6SitePrefixLength() default 56;

        @AttributeDefinition(description = "IPv4 pool for dual-stack planes")
        String ipv4Pool() default "10.128.0.0/12";

        @AttributeDefinition(description = "Prefix length of a plane's IPv4 block", min = "1", max = "31")
        int ipv4PlanePrefixLength() default 20;

        @AttributeDefinition(description = "Prefix length of a site's IPv4 prefix inside its plane's block", min = "2", max = "32")
        int ipv4SitePrefixLength() default 24;

        @AttributeDefinition(description = "Lowest routing table number given to a plane (also the last part of its decap SIDs)", min = "1", max = "65535")
        int tableMin() default 1000;

        @AttributeDefinition(description = "Highest routing table number given to a plane", min = "1", max = "65535")
        int tableMax() default 65535;

        @AttributeDefinition(name = "verify.intervalSeconds", description = "Seconds between SLO verification rounds (probes through "
                + "any PlaneProbe service, e.g. the kernel SRv6 lab's); 0 turns verification off", min = "0")
        int verify_intervalSeconds() default 60;

        @AttributeDefinition(name = "verify.probes", description = "Echo probes per site pair and family in a round", min = "1", max = "10000")
        int verify_probes() default 100;

        @AttributeDefinition(name = "verify.parallelism", description = "Site pairs probed at once", min = "1", max = "64")
        int verify_parallelism() default 8;

        @AttributeDefinition(name = "verify.rateMillis", description = "How long each rate probe of a site pair sends, paced "
                + "at a quarter above the plane's minBandwidthMbps (planes with a minimum only; the probe must offer rates, "
                + "as the kernel SRv6 lab's does); 0 turns rate probes off", min = "0", max = "10000")
        int verify_rateMillis() default 0;

        @AttributeDefinition(name = "controller.target", description = "Filter that selects the NetworkController, e.g. (tianshu.controller=srv6-lab)")
        String controller_target() default "(tianshu.controller=*)";
    }

    @Activate
    public PlanesComponent(@Reference(target = "(tianshu.database=main)") DataSource dataSource,
            @Reference PathComputationService paths,
            @Reference(name = "controller", cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            NetworkController controller,
            @Reference DepartmentService departments, Config config) {
        super(dataSource, paths, controller != null ? controller : new Absent(config.controller_target()), departments, new Settings(Pools.of(config.ipv6Pool(), config.ipv6PlanePrefixLength(),
                config.ipv6SitePrefixLength(), config.ipv4Pool(), config.ipv4PlanePrefixLength(), config.ipv4SitePrefixLength()),
                config.tableMin(), config.tableMax()));
        start();
        publishTo(this::send);
        verifier = new PlaneVerifier(this, () -> probes.stream().findFirst(), this::send, this::record, new PlaneVerifier.Settings(config.verify_probes(), config.verify_parallelism(),
                java.time.Duration.ofMillis(config.verify_rateMillis())),
                Clock.systemUTC());
        verifyWith(verifier);
        if (config.verify_intervalSeconds() > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "plane-verification");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::verifyRound, config.verify_intervalSeconds(), config.verify_intervalSeconds(), TimeUnit.SECONDS);
        } else {
            timer = null;
        }
    }

    private final PlaneVerifier verifier;
    private final ScheduledExecutorService timer;
    private final List<PlaneProbe> probes = new CopyOnWriteArrayList<>();
    private volatile MetricsRecorder recorder;
    private volatile EventPublisher publisher;

    private void send(org.tianshu.api.event.Event e) {
        EventPublisher p = publisher;
        if (p != null) {
            p.publish(e);
        }
    }

    private void verifyRound() {
        try {
            verifier.verifyAll();
        } catch (RuntimeException e) {
            LOG.warn("plane verification failed: {}", e.getMessage(), e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProbe(PlaneProbe probe) {
        probes.add(probe);
    }

    void removeProbe(PlaneProbe probe) {
        probes.remove(probe);
    }

    private void record(List<MetricPoint> points) {
        MetricsRecorder r = recorder;
        if (r != null) {
            r.record(points);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setRecorder(MetricsRecorder recorder) {
        this.recorder = recorder;
    }

    void unsetRecorder(MetricsRecorder recorder) {
        if (this.recorder == recorder) {
            this.recorder = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setPublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    void unsetPublisher(EventPublisher publisher) {
        if (this.publisher == publisher) {
            this.publisher = null;
        }
    }

    @Deactivate
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        verifier.close();
    }

    /**
     * Stands in while no controller matches the target: planes can be read, every call that needs the network is a
     * CONFLICT naming what is missing. The component is activated again when one comes.
     */
    static final class Absent implements NetworkController {
        private final String target;

        Absent(String target) {
            this.target = target;
        }

        private TianshuException missing() {
            return TianshuException.conflict("controller", "no network controller matches controller.target " + target
                    + " (install a controller adapter, e.g. the kernel SRv6 lab's, or change etc/org.tianshu.planes.cfg)");
        }

        @Override
        public String name() {
            return "none";
        }

        @Override
        public Topology topology() {
            throw missing();
        }

        @Override
        public List<Attachment> attachments() {
            throw missing();
        }

        @Override
        public void apply(PlaneRealisation plane) {
            throw missing();
        }

        @Override
        public void remove(String plane) {
            throw missing();
        }

        @Override
        public List<PlaneRealisation> realised() {
            throw missing();
        }
    }
}
