/** Tianshu API: disaster recovery (protection groups, recovery plans, drills, failover, failback) and the replication SPI. */
@org.osgi.annotation.versioning.Version("1.2.0")
package org.tianshu.api.dr;
