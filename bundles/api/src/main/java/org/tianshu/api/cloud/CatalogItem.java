package org.tianshu.api.cloud;

/**
 * A named thing a cloud offers to workloads: an image or a network.
 *
 * @param id the cloud's id
 * @param name its name
 */
public record CatalogItem(String id, String name) {
}
