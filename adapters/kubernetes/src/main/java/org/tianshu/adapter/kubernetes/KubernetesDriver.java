package org.tianshu.adapter.kubernetes;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.net.URI;
import org.tianshu.api.TianshuException;
import org.tianshu.api.Validation;
import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudDriver;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.Credentials;

/**
 * Opens sessions to Kubernetes clusters: master URL = {@link Cloud#endpoint()}, bearer token = credentials key
 * {@code token} (optional), cloud options {@code trustCerts} (true/false) and {@code gpuTypeLabel} (node label
 * holding the GPU model, default {@code nvidia.com/gpu.product}). Uses fabric8 with the JDK HTTP client, built
 * explicitly so that no ServiceLoader lookup is needed inside OSGi.
 */
public final class KubernetesDriver implements CloudDriver {
    /** Cloud option: trust any server certificate (lab clusters with self-signed certificates). */
    public static final String OPTION_TRUST_CERTS = "trustCerts";
    /** Cloud option: node label that holds the GPU model. */
    public static final String OPTION_GPU_TYPE_LABEL = "gpuTypeLabel";
    /** Credentials key of the bearer token. */
    public static final String CREDENTIAL_TOKEN = "token";

    private final DriverSettings settings;

    /** A driver with default timeouts and page size. */
    public KubernetesDriver() {
        this(DriverSettings.DEFAULTS);
    }

    KubernetesDriver(DriverSettings settings) {
        this.settings = settings;
    }

    @Override
    public CloudKind kind() {
        return CloudKind.KUBERNETES;
    }

    @Override
    public CloudSession open(Cloud cloud, Credentials credentials) {
        Validation.required("endpoint", cloud.endpoint());
        URI uri;
        try {
            uri = URI.create(cloud.endpoint().trim());
        } catch (IllegalArgumentException e) {
            throw TianshuException.invalid("endpoint", "endpoint '" + cloud.endpoint() + "' is not a URL");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw TianshuException.invalid("endpoint", "endpoint '" + cloud.endpoint()
                    + "' must be an http(s) URL of a Kubernetes API server");
        }
        String trust = cloud.options().getOrDefault(OPTION_TRUST_CERTS, "false").trim();
        if (!"true".equalsIgnoreCase(trust) && !"false".equalsIgnoreCase(trust)) {
            throw TianshuException.invalid("options." + OPTION_TRUST_CERTS, "options." + OPTION_TRUST_CERTS
                    + " must be true or false, got '" + trust + "'");
        }
        String token = credentials == null ? null : credentials.get(CREDENTIAL_TOKEN, null);
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(uri.toString())
                .withOauthToken(token == null || token.isBlank() ? null : token.trim())
                .withTrustCerts(Boolean.parseBoolean(trust))
                .withDisableHostnameVerification(Boolean.parseBoolean(trust))
                .withConnectionTimeout(settings.connectTimeoutMs())
                .withRequestTimeout(settings.requestTimeoutMs())
                .withRequestRetryBackoffLimit(settings.retries())
                .withRequestRetryBackoffInterval(100)
                .withNamespace(null)
                .build();
        KubernetesClient client = new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(config).build();
        try {
            Errors.call(cloud.id(), "list namespaces", () -> client.namespaces()
                    .list(new ListOptionsBuilder().withLimit(1L).build()));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        String gpuLabel = cloud.options().getOrDefault(OPTION_GPU_TYPE_LABEL, "nvidia.com/gpu.product");
        return new KubernetesSession(cloud.id(), client, gpuLabel, settings.listPageSize());
    }
}
