package org.tianshu.adapter.openstack;

import org.tianshu.api.cloud.Cloud;
import org.tianshu.api.cloud.CloudDriver;
import org.tianshu.api.cloud.CloudKind;
import org.tianshu.api.cloud.CloudSession;
import org.tianshu.api.cloud.Credentials;

/** Opens {@link OpenStackSession}s: Keystone v3 password authentication, project scope. */
public class OpenStackDriver implements CloudDriver {
    @Override
    public CloudKind kind() {
        return CloudKind.OPENSTACK;
    }

    @Override
    public CloudSession open(Cloud cloud, Credentials credentials) {
        OpenStackOptions options = OpenStackOptions.of(cloud, credentials);
        Keystone keystone = new Keystone(cloud, options);
        keystone.client(); // authenticate now: bad credentials or an unreachable endpoint fail here
        return new OpenStackSession(cloud, options, keystone);
    }
}
