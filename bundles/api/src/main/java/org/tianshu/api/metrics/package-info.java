/** Tianshu API: measurements, the recorder every bundle records them with, and the sinks (time-series databases) that store them. */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.tianshu.api.metrics;
