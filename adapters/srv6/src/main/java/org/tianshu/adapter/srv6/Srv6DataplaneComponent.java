package org.tianshu.adapter.srv6;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tianshu.api.TianshuException;
import org.tianshu.api.event.Event;
import org.tianshu.api.event.EventPublisher;
import org.tianshu.api.plane.Attachment;
import org.tianshu.api.plane.NetworkController;
import org.tianshu.api.plane.PlaneProbe;
import org.tianshu.api.plane.PlaneRealisation;
import org.tianshu.api.plane.ProbeResult;
import org.tianshu.api.plane.Topology;

/** The lab's kernel SRv6 dataplane in the runtime (PID {@code org.tianshu.adapter.srv6}); immediate, so that its link watcher runs. */
@Component(service = {NetworkController.class, PlaneProbe.class}, configurationPid = "org.tianshu.adapter.srv6", immediate = true,
        property = "tianshu.controller=" + Srv6Dataplane.NAME)
@Designate(ocd = Srv6DataplaneComponent.Config.class)
public class Srv6DataplaneComponent implements NetworkController, PlaneProbe {

    @ObjectClassDefinition(name = "Tianshu SRv6 lab dataplane",
            description = "Business planes on the kernel SRv6 backbone that lab/srv6.sh builds in network namespaces")
    public @interface Config {
        @AttributeDefinition(description = "The topology file lab/srv6.sh writes")
        String topologyFile() default "/var/tmp/tianshu-lab/srv6/topology.json";

        @AttributeDefinition(description = "Prefix of the lab's namespaces: routers <prefix><router>, hosts <prefix>h-<router>-<port>")
        String namespacePrefix() default "ts-";

        @AttributeDefinition(description = "Seconds one ip or ping command may take", min = "1")
        int commandTimeoutSeconds() default 30;

        @AttributeDefinition(description = "Follow link state and switch 1+1 policies to their backup while a primary's link is down")
        boolean watchLinks() default true;
    }

    private final Srv6Dataplane dataplane;
    private final AutoCloseable watcher;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventPublisher events;

    @Activate
    public Srv6DataplaneComponent(Config c) {
        if (c.namespacePrefix() == null || !c.namespacePrefix().matches("[A-Za-z0-9_.-]{1,8}")) {
            throw TianshuException.invalid("namespacePrefix", "must be 1 to 8 letters, digits, '_', '.' or '-', got " + c.namespacePrefix());
        }
        if (c.commandTimeoutSeconds() < 1) {
            throw TianshuException.invalid("commandTimeoutSeconds", "must be at least 1, got " + c.commandTimeoutSeconds());
        }
        dataplane = Srv6Dataplane.open(Path.of(c.topologyFile()), c.namespacePrefix(),
                Duration.ofSeconds(c.commandTimeoutSeconds()));
        watcher = c.watchLinks() ? dataplane.watchLinks(this::publish) : null;
    }

    private void publish(Event event) {
        EventPublisher bus = events;
        if (bus != null) {
            bus.publish(event);
        }
    }

    @Deactivate
    void deactivate() {
        if (watcher != null) {
            ((LinkWatcher) watcher).close();
        }
        dataplane.close();
    }

    @Override
    public String name() {
        return dataplane.name();
    }

    @Override
    public Topology topology() {
        return dataplane.topology();
    }

    @Override
    public List<Attachment> attachments() {
        return dataplane.attachments();
    }

    @Override
    public void apply(PlaneRealisation plane) {
        dataplane.apply(plane);
    }

    @Override
    public void remove(String plane) {
        dataplane.remove(plane);
    }

    @Override
    public List<PlaneRealisation> realised() {
        return dataplane.realised();
    }

    @Override
    public ProbeResult probe(Attachment from, String address, int count) {
        return dataplane.probe(from, address, count);
    }

    @Override
    public java.util.OptionalDouble rateMbps(Attachment from, Attachment to, String address, double offeredMbps, Duration duration) {
        return dataplane.rateMbps(from, to, address, offeredMbps, duration);
    }
}
