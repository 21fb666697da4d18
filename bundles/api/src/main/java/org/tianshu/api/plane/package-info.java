/** Tianshu API: business planes on the SRv6 backbone; topology, constrained path computation and admission. */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.tianshu.api.plane;
