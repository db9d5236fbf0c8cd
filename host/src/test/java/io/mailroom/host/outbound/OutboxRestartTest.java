package io.mailroom.host.outbound;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import jakarta.mail.internet.MimeMessage;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mail committed by a node that stopped before (or while) sending it: after a restart each is
 * sent exactly once, or, when the node stopped after the end of data, not again.
 */
class OutboxRestartTest {

    @TempDir
    Path dir;
    TestMailroom mailroom;
    GreenMail smtp;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        // no worker on this node: whatever is sent stays committed and queued, as if the node died right after
        mailroom = TestMailroom.start(dir, Map.of("mailroom.outbox.workers", "0", "mailroom.outbox.poll.ms", "100"));
    }

    @AfterEach
    void stop() {
        mailroom.close();
        smtp.stop();
    }

    Jdbi jdbi() {
        return mailroom.mailroom().core().database().jdbi();
    }

    @Test
    void mail_committed_before_a_stop_is_sent_once_after_the_restart_and_none_is_lost_or_doubled() {
        ApiClient admin = mailroom.admin();
        long owner = admin.get("/api/me").json().get("id").asLong();
        long mailbox = jdbi().withHandle(handle -> {
            long id = handle.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) "
                    + "VALUES (?, 'Box', 'box@example.com', 'imap')").bind(0, owner)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            handle.execute("INSERT INTO mailbox_smtp (mailbox_id, host, port, security) VALUES (?, '127.0.0.1', ?, 'none')",
                    id, smtp.getSmtp().getPort());
            return id;
        });
        long queued = send(admin, mailbox, "Committed only");
        long duringData = send(admin, mailbox, "Stopped during DATA");
        long afterDot = send(admin, mailbox, "Stopped after the final dot");
        // what a node that died in the middle of those attempts leaves behind, its lease run out
        jdbi().useHandle(handle -> {
            handle.execute("UPDATE outbox SET state = 'sending', attempts = 1, attempt_at = now(), data_at = now(), "
                    + "lease_owner = 'dead-node', lease_until = now() - interval '1 second' WHERE message_id = ?", duringData);
            handle.execute("UPDATE outbox SET state = 'sending', attempts = 1, attempt_at = now(), data_at = now(), "
                    + "end_of_data_at = now(), lease_owner = 'dead-node', lease_until = now() - interval '1 second' "
                    + "WHERE message_id = ?", afterDot);
        });
        assertThat(smtp.getReceivedMessages()).isEmpty();

        mailroom.restart(Map.of("mailroom.outbox.workers", "2"));
        ApiClient again = mailroom.admin();

        await(() -> status(again, queued).equals("sent") && status(again, duringData).equals("sent")
                && status(again, afterDot).equals("sent"));
        assertThat(received("Committed only")).isEqualTo(1);
        assertThat(received("Stopped during DATA")).isEqualTo(1);
        assertThat(received("Stopped after the final dot")).isZero();
        assertThat(again.get("/api/messages/" + afterDot + "/delivery").json().get("last_reply").asText())
                .contains("not confirmed");
    }

    private static long send(ApiClient client, long mailbox, String subject) {
        var reply = client.post("/api/send", Map.of("mailbox_id", mailbox, "to", "bob@customer.example",
                "subject", subject, "text", "x"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        return reply.json().get("id").asLong();
    }

    private static String status(ApiClient client, long id) {
        return client.get("/api/messages/" + id).json().get("status").asText();
    }

    private long received(String subject) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> subjectOf(m).equals(subject)).count();
    }

    private static String subjectOf(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            return "";
        }
    }

    private static void await(BooleanSupplier done) {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for the outbox").isBefore(until);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
