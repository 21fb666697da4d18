/** Tianshu API: disaster recovery (protection groups, recovery plans, drills, failover, failback) and the replication SPI. */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.tianshu.api.dr;
