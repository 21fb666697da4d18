package org.tianshu.rest;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.Servlet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.tianshu.api.metrics.MetricsRecorder;

/** Registers {@link ApiServlet} on the HTTP Whiteboard at {@code /api/v1/*}, configured by PID {@code org.tianshu.rest}. */
@Component(service = Servlet.class, configurationPid = RestConfig.PID)
@HttpWhiteboardServletPattern("/api/v1/*")
@Designate(ocd = RestConfig.class)
public class OSGiApiServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    @Activate
    public OSGiApiServlet(@Reference Services services, RestConfig config) {
        this(services, Settings.of(config));
    }

    private OSGiApiServlet(Services services, Settings settings) {
        super(services, new JaasAuthenticator(settings.realm()), settings);
        metricsTimer.scheduleWithFixedDelay(this::recordRequests, 1, 1, TimeUnit.SECONDS);
    }

    /** Records the requests summed each second (measurement {@code api_request}). */
    private final transient ScheduledExecutorService metricsTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tianshu-rest-metrics");
        t.setDaemon(true);
        return t;
    });

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setRecorder(MetricsRecorder recorder) {
        recordWith(recorder);
    }

    void unsetRecorder(MetricsRecorder recorder) {
        if (recorder() == recorder) {
            recordWith(null);
        }
    }

    @Deactivate
    void stop() {
        metricsTimer.shutdownNow();
    }

    @Modified
    void modified(RestConfig config) {
        Settings settings = Settings.of(config);
        configure(settings, new JaasAuthenticator(settings.realm()));
    }
}
