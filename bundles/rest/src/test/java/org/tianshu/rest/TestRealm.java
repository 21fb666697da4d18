package org.tianshu.rest;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.karaf.jaas.modules.properties.PropertiesLoginModule;

/** A JAAS configuration with one realm backed by Karaf's PropertiesLoginModule and test users.properties. */
final class TestRealm extends Configuration {
    static final String NAME = "tianshu-test";
    private final String users;

    TestRealm() {
        try {
            users = Path.of(TestRealm.class.getResource("/users.properties").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        if (!NAME.equals(name)) {
            return null;
        }
        return new AppConfigurationEntry[] {new AppConfigurationEntry(PropertiesLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of("users", users))};
    }

    static Authenticator authenticator() {
        return new JaasAuthenticator(NAME, new TestRealm());
    }
}
