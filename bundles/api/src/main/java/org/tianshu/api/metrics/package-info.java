/** Tianshu API: measurements and the sinks (time-series databases) that store them. */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.tianshu.api.metrics;
