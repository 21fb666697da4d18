/** Tianshu API: business planes on the SRv6 backbone; topology, constrained path computation and admission. */
@org.osgi.annotation.versioning.Version("1.3.0")
package org.tianshu.api.plane;
