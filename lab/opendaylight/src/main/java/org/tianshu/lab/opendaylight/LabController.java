package org.tianshu.lab.opendaylight;

import io.lighty.core.controller.api.LightyController;
import io.lighty.core.controller.api.LightyModule;
import io.lighty.core.controller.impl.LightyControllerBuilder;
import io.lighty.core.controller.impl.config.ControllerConfiguration;
import io.lighty.core.controller.impl.util.ControllerConfigUtils;
import io.lighty.modules.northbound.restconf.community.impl.CommunityRestConf;
import io.lighty.modules.northbound.restconf.community.impl.CommunityRestConfBuilder;
import io.lighty.modules.northbound.restconf.community.impl.config.RestConfConfiguration;
import io.lighty.modules.northbound.restconf.community.impl.util.RestConfConfigUtils;
import io.lighty.modules.southbound.netconf.impl.NetconfTopologyPluginBuilder;
import io.lighty.modules.southbound.netconf.impl.config.NetconfConfiguration;
import io.lighty.modules.southbound.netconf.impl.util.NetconfConfigUtils;
import io.lighty.server.LightyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.opendaylight.yangtools.binding.meta.YangModuleInfo;

/**
 * The lab's OpenDaylight controller: lighty.io's MD-SAL with the RESTCONF northbound (RFC 8040, plain HTTP, no
 * authentication) and the NETCONF southbound topology ({@code topology-netconf}: a node PUT there is connected and
 * its YANG data appears under {@code yang-ext:mount}). Prints {@code READY} once RESTCONF answers.
 * Arguments: {@code [bind-address [port]]}, default {@code 127.0.0.1 8888}.
 */
public final class LabController {
    private LabController() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        InetAddress bind = InetAddress.getByName(args.length > 0 ? args[0] : "127.0.0.1");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8888;

        Set<YangModuleInfo> models = new HashSet<>(RestConfConfigUtils.YANG_MODELS);
        models.addAll(NetconfConfigUtils.NETCONF_TOPOLOGY_MODELS);
        ControllerConfiguration controllerConfig = ControllerConfigUtils.getDefaultSingleNodeConfiguration(models);
        LightyController controller = new LightyControllerBuilder().from(controllerConfig).build();
        controller.start().get();

        RestConfConfiguration restconfConfig = RestConfConfigUtils.getDefaultRestConfConfiguration();
        restconfConfig.setInetAddress(bind);
        restconfConfig.setHttpPort(port);
        CommunityRestConf restconf = CommunityRestConfBuilder
                .from(RestConfConfigUtils.getRestConfConfiguration(restconfConfig, controller.getServices()))
                .withLightyServer(new LightyServerBuilder(new InetSocketAddress(bind, port)))
                .build();
        restconf.start().get();
        restconf.startServer();

        NetconfConfiguration netconfConfig = NetconfConfigUtils.injectServicesToTopologyConfig(
                NetconfConfigUtils.createDefaultNetconfConfiguration(), controller.getServices());
        LightyModule netconf = NetconfTopologyPluginBuilder.from(netconfConfig, controller.getServices()).build();
        netconf.start().get();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (LightyModule m : List.of(netconf, restconf, controller)) {
                m.shutdown(20, TimeUnit.SECONDS);
            }
        }, "lab-controller-shutdown"));
        System.out.printf("READY restconf=http://%s:%d/restconf started in %d ms%n", bind.getHostAddress(), port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
}
