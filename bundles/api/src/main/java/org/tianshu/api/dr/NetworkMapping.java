package org.tianshu.api.dr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where workloads of one production network (a Kubernetes namespace, an OpenStack network) come up
 * on the recovery cloud, and optionally which addresses they get there (IP customisation, for recovery
 * clouds whose {@link ReplicatingSession#customisesAddresses()} is true). A workload listed in
 * {@code addresses} gets that address; otherwise, with both subnets given, its production address moves
 * into the recovery subnet keeping its host part (10.10.0.7 of 10.10.0.0/24 comes up as 10.20.0.7 of
 * 10.20.0.0/24); otherwise the recovery cloud assigns one.
 *
 * @param production network on the protected cloud
 * @param recovery network on the recovery cloud
 * @param productionCidr the production network's subnet whose addresses are translated, or null
 * @param recoveryCidr the recovery subnet recovered workloads get their addresses in, or null (no customisation)
 * @param addresses explicit recovery address per workload name (each inside {@code recoveryCidr})
 */
public record NetworkMapping(String production, String recovery, String productionCidr, String recoveryCidr,
        Map<String, String> addresses) {
    public NetworkMapping {
        addresses = addresses == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
    }

    /** A mapping of names only: the recovery cloud assigns the addresses. */
    public NetworkMapping(String production, String recovery) {
        this(production, recovery, null, null, Map.of());
    }

    /** True if this mapping chooses addresses of recovered workloads. */
    public boolean customisesAddresses() {
        return recoveryCidr != null || productionCidr != null || !addresses.isEmpty();
    }

    /**
     * The address {@code workload} gets in the recovery network: its explicit address, else
     * {@code productionAddress} translated into the recovery subnet, else null (the cloud chooses).
     */
    public String recoveryAddress(String workload, String productionAddress) {
        String explicit = addresses.get(workload);
        if (explicit != null) {
            return explicit;
        }
        if (productionCidr == null || recoveryCidr == null || productionAddress == null) {
            return null;
        }
        return Cidr.parse("productionCidr", productionCidr).translate(productionAddress,
                Cidr.parse("recoveryCidr", recoveryCidr));
    }

    /**
     * The mapping for the way back (a group running on its recovery cloud): networks and subnets swapped;
     * explicit addresses dropped, as their production addresses are not known.
     */
    public NetworkMapping reversed() {
        return new NetworkMapping(recovery, production, recoveryCidr, productionCidr, Map.of());
    }
}
