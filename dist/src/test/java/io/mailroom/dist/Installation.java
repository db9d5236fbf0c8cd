package io.mailroom.dist;

import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.dovecot.DovecotServer;

import java.nio.file.Path;

/** A real Dovecot and a Mailroom running some of the packaged plugins: what the whole-system tests sync between. */
record Installation(DovecotServer dovecot, TestMailroom mailroom, ApiClient admin) implements AutoCloseable {

    static Installation start(Path dir, String... plugins) {
        DovecotServer dovecot = DovecotServer.start(dir.resolve("dovecot"));
        InstalledPlugins.copy(dir.resolve("plugins"), plugins);
        TestMailroom mailroom = TestMailroom.start(dir);
        return new Installation(dovecot, mailroom, mailroom.admin());
    }

    @Override
    public void close() {
        try {
            mailroom.close();
        } finally {
            dovecot.close();
        }
    }
}
