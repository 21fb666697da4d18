/** Tianshu API: events that core bundles and adapters publish, and the listeners that receive them. */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.tianshu.api.event;
