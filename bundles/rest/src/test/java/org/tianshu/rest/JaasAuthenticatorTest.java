package org.tianshu.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tianshu.api.Caller;

class JaasAuthenticatorTest {
    private final Authenticator auth = TestRealm.authenticator();

    @Test
    void karafPropertiesLoginGivesNameAndRoles() {
        Caller alice = auth.authenticate("alice", "alice-pw".toCharArray()).orElseThrow();
        assertThat(alice.name()).isEqualTo("alice");
        assertThat(alice.roles()).containsExactly("dept-health");
        assertThat(alice.canAccess("health")).isTrue();
        assertThat(alice.canAccess("edu")).isFalse();

        Caller ops = auth.authenticate("ops", "ops-pw".toCharArray()).orElseThrow();
        assertThat(ops.isOperator()).isTrue();
        assertThat(ops.isAdmin()).isFalse();
    }

    @Test
    void wrongPasswordOrUnknownUserOrUnknownRealmIsRefused() {
        assertThat(auth.authenticate("alice", "nope".toCharArray())).isEmpty();
        assertThat(auth.authenticate("mallory", "x".toCharArray())).isEmpty();
        assertThat(new JaasAuthenticator("no-such-realm", new TestRealm()).authenticate("alice",
                "alice-pw".toCharArray())).isEmpty();
    }

    @Test
    void contextClassLoaderIsRestored() {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        auth.authenticate("alice", "alice-pw".toCharArray());
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }
}
