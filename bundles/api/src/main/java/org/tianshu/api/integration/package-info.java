/**
 * Tianshu API: what the integration routes produce for operators: alarms, recommendations that wait for a human's
 * decision, and the dead letters of outbound webhooks.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.tianshu.api.integration;
