package io.mailroom.dist;

import io.mailroom.host.TestMailroom;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.store.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILLs the sending server ({@code bin/mailroom serve}) after it claimed a queued mail and
 * before it sent anything, and again during DATA (the server took the DATA command and had not
 * answered it), then lets a restarted server drain the outbox: every queued mail reaches the SMTP
 * server exactly once, counted there by Message-ID. (The one window SMTP cannot close, after the
 * final dot, is not provoked: see docs/outbound-mail.md.)
 */
class OutboxCrashIT {

    private static final int MAILS = 5;

    @TempDir
    Path dir;

    @Test
    void killing_the_sending_server_before_and_during_data_sends_every_mail_exactly_once() throws Exception {
        String key = MasterKeys.newKey();
        String url = TestDatabase.freshDatabaseUrl();
        Files.createDirectories(dir.resolve("child-plugins"));
        try (ScriptedSmtp smtp = new ScriptedSmtp(0, ScriptedSmtp.Mode.ACCEPT);
             TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url, "mailroom.secret.key", key,
                     "mailroom.outbox.workers", "0"))) {
            Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
            long mailbox = jdbi.withHandle(handle -> {
                long id = handle.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) "
                        + "VALUES (1, 'Crash', 'crash@example.com', 'imap')").executeAndReturnGeneratedKeys("id")
                        .mapTo(Long.class).one();
                handle.execute("INSERT INTO mailbox_smtp (mailbox_id, host, port, security, rate_per_minute) "
                        + "VALUES (?, '127.0.0.1', ?, 'none', 1000)", id, smtp.port());
                return id;
            });
            List<String> messageIds = new ArrayList<>();
            for (int i = 1; i <= MAILS; i++) {
                var reply = mailroom.admin().post("/api/send", Map.of("mailbox_id", mailbox, "to", "bob@customer.example",
                        "subject", "Crash " + i, "text", "mail " + i));
                assertThat(reply.status()).as(reply.body()).isEqualTo(202);
                messageIds.add(reply.json().get("message_id").asText().replaceAll("^<|>$", ""));
            }
            Map<String, String> environment = new HashMap<>(Map.of("MAILROOM_DB_URL", url, "MAILROOM_SECRET_KEY", key,
                    "MAILROOM_PLUGINS_DIR", dir.resolve("child-plugins").toString(),
                    "MAILROOM_SOURCES_ALLOW_PRIVATE_HOSTS", "true", "MAILROOM_DATA_DIR", dir.resolve("child").toString(),
                    "MAILROOM_HTTP_PORT", "0", "MAILROOM_OUTBOX_WORKERS", "1", "MAILROOM_OUTBOX_POLL_MS", "200",
                    "MAILROOM_OUTBOX_RETRY_BASE", "1"));
            // a lease that runs out soon after a kill, so the restarted server reconciles quickly
            environment.put("MAILROOM_OUTBOX_LEASE", "8");

            // 1. Claimed and committed ('sending'), the greeting held back: killed before anything was sent.
            smtp.mode = ScriptedSmtp.Mode.HOLD_GREETING;
            Process first = ServeProcess.start(environment, dir.resolve("serve-1.log"));
            ServeProcess.await("a claimed attempt at the held greeting", () -> smtp.connections.get() > 0
                    && ServeProcess.count(jdbi, "SELECT count(*) FROM outbox WHERE state = 'sending'") > 0, first, Duration.ofMinutes(3));
            ServeProcess.kill(first);
            assertThat(smtp.accepted).isEmpty();

            // 2. DATA recorded and sent, its 354 held back: killed during DATA.
            smtp.mode = ScriptedSmtp.Mode.HOLD_DATA;
            Process second = ServeProcess.start(environment, dir.resolve("serve-2.log"));
            ServeProcess.await("an attempt inside DATA", () -> smtp.dataCommands.get() > 0
                    && ServeProcess.count(jdbi, "SELECT count(*) FROM outbox WHERE data_at IS NOT NULL AND end_of_data_at IS NULL") > 0,
                    second, Duration.ofMinutes(3));
            ServeProcess.kill(second);
            assertThat(smtp.accepted).isEmpty();

            // 3. A restarted server reconciles the abandoned attempts and sends everything.
            smtp.mode = ScriptedSmtp.Mode.ACCEPT;
            Process third = ServeProcess.start(environment, dir.resolve("serve-3.log"));
            try {
                ServeProcess.await("every mail sent", () -> ServeProcess.count(jdbi, "SELECT count(*) FROM outbox WHERE state = 'sent'") == MAILS,
                        third, Duration.ofMinutes(3));
            } finally {
                ServeProcess.kill(third);
            }

            Map<String, Long> received = smtp.accepted.stream()
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(messageIds);
            assertThat(received.values()).as("each mail once at the SMTP server").containsOnly(1L);
            assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM outbox WHERE last_reply LIKE 'not confirmed%'"))
                    .as("no attempt ended in the window after the final dot").isZero();
        }
    }
}
