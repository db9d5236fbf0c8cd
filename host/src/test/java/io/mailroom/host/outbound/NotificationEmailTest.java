package io.mailroom.host.outbound;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Owner notifications are also emailed, through the system mailbox, once per episode. */
class NotificationEmailTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static GreenMail smtp;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        mailroom = TestMailroom.start(dir, Map.of("mailroom.notifications.mailbox", "system@example.com",
                "mailroom.outbox.poll.ms", "100"));
    }

    @AfterAll
    static void stop() {
        mailroom.close();
        smtp.stop();
    }

    @Test
    void a_credential_failure_is_emailed_to_the_owner_once_per_episode() throws Exception {
        ApiClient admin = mailroom.admin();
        long ann = admin.post("/api/users", Map.of("name", "Ann", "email", "ann@customer.example")).json().get("id").asLong();
        Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
        long annsMailbox = jdbi.withHandle(handle -> {
            long system = handle.createUpdate("INSERT INTO mailboxes (name, email, source) VALUES ('System', "
                    + "'system@example.com', 'imap')").executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            handle.execute("INSERT INTO mailbox_smtp (mailbox_id, host, port, security) VALUES (?, '127.0.0.1', ?, 'none')",
                    system, smtp.getSmtp().getPort());
            return handle.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) VALUES (?, 'Anns', "
                    + "'anns-box@example.com', 'imap')").bind(0, ann).executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class).one();
        });
        Mailbox before = jdbi.onDemand(MailboxDao.class).find(annsMailbox).orElseThrow();

        mailroom.mailroom().core().notifications().credentialsFailed(before, "535 5.7.8 authentication failed");
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (smtp.getReceivedMessages().length == 0) {
            assertThat(Instant.now()).as("waiting for the notification mail").isBefore(until);
            Thread.sleep(50);
        }
        Mailbox during = new Mailbox(before.id(), before.ownerUserId(), before.name(), before.email(), before.source(),
                before.auth(), before.settings(), before.folders(), before.firstSyncDays(), before.maxMessagesPerPoll(),
                before.unreadOnly(), before.markAsRead(), before.moveProcessedTo(), before.enabled(), "auth_failed",
                before.lastError(), before.lastSyncAt(), before.lastSuccessAt(), before.consecutiveFailures(),
                before.schedule(), before.priority(), before.push());
        mailroom.mailroom().core().notifications().credentialsFailed(during, "535 5.7.8 authentication failed");

        var mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ann@customer.example");
        assertThat(mail.getFrom()[0].toString()).contains("system@example.com");
        assertThat(mail.getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
        assertThat(mail.getContent().toString()).contains("anns-box@example.com").contains("535 5.7.8");
        assertThat((long) jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM outbox").mapTo(Long.class).one()))
                .as("one mail for the episode").isEqualTo(1);
    }
}
