/** Shared JDBC access for core bundles: thread-bound transactions over the Tianshu DataSource. */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.tianshu.persistence;
