package io.mailroom.host.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.store.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mailroom test-connection --smtp}: against GreenMail, and against a port nobody listens on. */
class TestConnectionCommandTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static GreenMail smtp;
    static long working;
    static long dead;

    @BeforeAll
    static void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        String url = TestDatabase.freshDatabaseUrl();
        mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url, "mailroom.outbox.workers", "0"));
        System.setProperty("mailroom.db.url", url);
        System.setProperty("mailroom.data.dir", dir.resolve("data").toString());
        System.setProperty("mailroom.plugins.dir", dir.resolve("plugins").toString());
        System.setProperty("mailroom.sources.allow.private.hosts", "true");
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
        working = mailbox(jdbi, "cli@example.com", smtp.getSmtp().getPort());
        dead = mailbox(jdbi, "dead@example.com", closedPort);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("mailroom.db.url");
        System.clearProperty("mailroom.data.dir");
        System.clearProperty("mailroom.plugins.dir");
        System.clearProperty("mailroom.sources.allow.private.hosts");
        mailroom.close();
        smtp.stop();
    }

    private static long mailbox(Jdbi jdbi, String email, int port) {
        return jdbi.withHandle(handle -> {
            long id = handle.createUpdate("INSERT INTO mailboxes (name, email, source) VALUES ('Box', ?, 'imap')")
                    .bind(0, email).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            handle.execute("INSERT INTO mailbox_smtp (mailbox_id, host, port, security) VALUES (?, '127.0.0.1', ?, 'none')",
                    id, port);
            return id;
        });
    }

    @Test
    void smtp_test_reports_capabilities_and_sends_a_test_mail() throws Exception {
        CommandRun run = CommandRun.of("test-connection", "--mailbox", Long.toString(working), "--smtp",
                "--send-test-email", "someone@customer.example");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("smtp 127.0.0.1:").contains(": ok").contains("capabilities:")
                .contains("test mail to someone@customer.example: 250");
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("Mailroom test mail from cli@example.com");
    }

    @Test
    void an_unreachable_smtp_server_exits_1_with_the_reason() {
        CommandRun run = CommandRun.of("test-connection", "--email", "dead@example.com", "--smtp");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("failed:").contains("connection failed");
    }
}
