/** Tianshu API: placement of workloads across clouds, with constraints, preferences and explanations. */
@org.osgi.annotation.versioning.Version("1.2.0")
package org.tianshu.api.scheduling;
