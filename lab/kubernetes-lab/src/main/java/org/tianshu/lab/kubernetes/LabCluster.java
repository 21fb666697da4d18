package org.tianshu.lab.kubernetes;

import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * One emulated city cluster: a fabric8 mock API server in CRUD mode on 127.0.0.1 (plain HTTP), seeded with
 * nodes (and optionally workloads), plus the {@link ControlLoop} that plays its controllers, scheduler and
 * kubelets.
 */
public final class LabCluster implements AutoCloseable {
    /** The mock server logs every request at INFO through JUL; held strongly so the level sticks. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        if (System.getProperty("tianshu.lab.requestLog") == null) {
            MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        }
    }

    private final String name;
    private final KubernetesMockServer server;
    private final LabDispatcher dispatcher;
    private final KubernetesClient client;
    private final ControlLoop controllers;

    private LabCluster(String name, KubernetesMockServer server, LabDispatcher dispatcher, KubernetesClient client,
            ControlLoop controllers) {
        this.name = name;
        this.server = server;
        this.dispatcher = dispatcher;
        this.client = client;
        this.controllers = controllers;
    }

    /** Seeds and starts cluster {@code name} of {@code spec} on {@code port} (0 for a free one). */
    public static LabCluster start(String name, LabSpec spec, int port) throws Exception {
        var expectations = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        LabDispatcher dispatcher = new LabDispatcher(expectations, spec.token());
        new Seeder(name, spec).seed(dispatcher::seed);
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                new MockWebServer(), expectations, dispatcher, false,
                new VersionInfo.Builder().withMajor("1").withMinor("31").withGitVersion("v1.31.0-tianshu-lab")
                        .withPlatform("linux/amd64").build());
        server.init(InetAddress.getByName("127.0.0.1"), port);
        String url = "http://127.0.0.1:" + server.getPort();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withOauthToken(spec.token())
                .withRequestTimeout(60_000).withWatchReconnectInterval(500).build();
        KubernetesClient client = new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(config).build();
        ControlLoop loop = new ControlLoop(name, client, spec.controllerDelayMs());
        try {
            loop.start();
            dispatcher.metrics(new MetricsServer(loop::report));
        } catch (Exception e) {
            loop.close();
            client.close();
            server.destroy();
            throw e;
        }
        return new LabCluster(name, server, dispatcher, client, loop);
    }

    /** The cluster's name, e.g. {@code chengdu}. */
    public String name() {
        return name;
    }

    /** The API server URL, e.g. {@code http://127.0.0.1:16443}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** The port the API server listens on. */
    public int port() {
        return server.getPort();
    }

    /** Objects in the cluster's store. */
    public int objects() {
        return dispatcher.objects();
    }

    /** An admin client of this cluster (owned by the cluster; do not close). */
    public KubernetesClient client() {
        return client;
    }

    /** CPU millicores the emulated scheduler has booked on {@code node}. */
    public long bookedCpuMillis(String node) throws Exception {
        return controllers.used(node).cpuMillis();
    }

    @Override
    public void close() {
        controllers.close();
        client.close();
        server.destroy();
    }
}
