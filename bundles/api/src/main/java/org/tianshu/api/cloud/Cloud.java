package org.tianshu.api.cloud;

import java.util.Map;

/**
 * One onboarded cloud: a city's OpenStack region or Kubernetes cluster.
 *
 * @param id identifier, e.g. {@code chengdu-os}
 * @param name display name
 * @param kind openstack or kubernetes
 * @param city city or prefecture that hosts it (data residency)
 * @param region the cloud's own region name (OpenStack region; informational for Kubernetes)
 * @param securityZone MLPS 2.0 protection level of the zone, 1-4
 * @param xinchuang true if built on domestic (信创) hardware and OS
 * @param endpoint API endpoint (Keystone v3 URL, or Kubernetes API server URL)
 * @param credentialsRef name of the stored {@link Credentials} used to reach it
 * @param options driver-specific settings, e.g. {@code overcommit.cpu}
 */
public record Cloud(String id, String name, CloudKind kind, String city, String region, int securityZone,
        boolean xinchuang, String endpoint, String credentialsRef, Map<String, String> options) {
    public Cloud {
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
