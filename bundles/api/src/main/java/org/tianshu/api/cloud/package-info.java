/** Tianshu API: cloud. */
@org.osgi.annotation.versioning.Version("1.2.0")
package org.tianshu.api.cloud;
