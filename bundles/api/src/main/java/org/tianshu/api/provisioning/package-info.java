/** Tianshu API: provisioning. */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.tianshu.api.provisioning;
