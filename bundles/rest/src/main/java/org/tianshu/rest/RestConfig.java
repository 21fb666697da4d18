package org.tianshu.rest;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the REST API, PID {@code org.tianshu.rest}. */
@ObjectClassDefinition(name = "Tianshu REST API", description = "JSON API under /api/v1")
public @interface RestConfig {
    /** The PID. */
    String PID = "org.tianshu.rest";

    @AttributeDefinition(description = "JAAS realm that checks HTTP Basic credentials")
    String realm() default "karaf";

    @AttributeDefinition(description = "Largest accepted request body, in bytes", min = "1")
    long maxBodyBytes() default 1_048_576;

    @AttributeDefinition(description = "Longest wait a client may ask for with ?wait=, in seconds", min = "0")
    int maxWaitSeconds() default 600;
}
