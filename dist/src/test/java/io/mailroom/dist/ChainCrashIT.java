package io.mailroom.dist;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.store.TestDatabase;
import io.mailroom.testkit.dovecot.DovecotServer;
import jakarta.mail.internet.MimeMessage;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once actions across SIGKILLs mid-chain: a few hundred messages synced from Dovecot
 * (through the packaged imap plugin) wait in {@code processing_queue}; {@code bin/mailroom serve}
 * runs their chains (an {@code auto_reply} rule with a {@code tag}) and is killed several times
 * while steps are being written; leases of the dead node are let run out, and a last server
 * drains everything. Each message then has one {@code auto_reply} step done, its one tag, and
 * exactly one automatic reply arrived at the SMTP server (counted there by In-Reply-To).
 */
class ChainCrashIT {

    private static final int MESSAGES = 300;
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    private static byte[] mail(int i) {
        return ("Message-ID: <crash-" + i + "@customer.example>\r\nFrom: Sender " + i + " <sender" + i
                + "@customer.example>\r\nTo: crash@example.com\r\nSubject: Question " + i
                + "\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello "
                + i + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void killing_the_server_mid_chain_runs_every_action_exactly_once() throws Exception {
        String key = MasterKeys.newKey();
        String url = TestDatabase.freshDatabaseUrl();
        Path plugins = InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic");
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        // this node only syncs and answers the API: the chains and the outbox run in the child servers
        try (DovecotServer dovecot = DovecotServer.start(dir.resolve("dovecot"));
             TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url, "mailroom.secret.key", key,
                     "mailroom.processing.workers", "0", "mailroom.processing.sync.wait", "0",
                     "mailroom.outbox.workers", "0"))) {
            ApiClient admin = mailroom.admin();
            Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
            dovecot.addUser("crash", "pw-crash");
            List<byte[]> mails = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                mails.add(mail(i));
            }
            dovecot.appendMany("crash", "INBOX", mails);
            Map<String, Object> body = new HashMap<>(Map.of("name", "Crash", "email", "crash@example.com",
                    "source", "imap", "smtp", Map.of("host", "127.0.0.1", "port", smtp.getSmtp().getPort(),
                            "security", "none", "rate_per_minute", 10_000, "save_sent", false)));
            body.put("settings", Map.of("host", dovecot.host(), "port", dovecot.imapPort(), "security", "none",
                    "username", "crash", "password", "pw-crash"));
            Reply created = admin.post("/api/mailboxes", body);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long mailboxId = created.json().get("id").asLong();
            Reply template = admin.post("/api/templates", Map.of("name", "Thanks", "subject", "",
                    "text", "Dear {{from_name}}, we got your message."));
            assertThat(template.status()).as(template.body()).isEqualTo(201);
            Reply rule = admin.post("/api/rules", Map.of("mailbox_id", mailboxId, "name", "Answer everyone",
                    "actions", List.of(Map.of("type", "auto_reply", "data", Map.of("template_id", template.json().get("id").asLong())),
                            Map.of("type", "tag", "data", Map.of("tag", "answered")))));
            assertThat(rule.status()).as(rule.body()).isEqualTo(201);

            Reply poll = admin.post("/api/mailboxes/" + mailboxId + "/sync?wait=true", null);
            assertThat(poll.status()).as(poll.body()).isEqualTo(200);
            assertThat(poll.json().get("stored").asInt()).isEqualTo(MESSAGES);
            assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM processing_queue")).isEqualTo(MESSAGES);

            Map<String, String> environment = new HashMap<>(Map.of("MAILROOM_DB_URL", url, "MAILROOM_SECRET_KEY", key,
                    "MAILROOM_PLUGINS_DIR", plugins.toString(), "MAILROOM_SOURCES_ALLOW_PRIVATE_HOSTS", "true",
                    "MAILROOM_DATA_DIR", dir.resolve("child").toString(), "MAILROOM_HTTP_PORT", "0",
                    "MAILROOM_OUTBOX_POLL_MS", "200", "MAILROOM_OUTBOX_RETRY_BASE", "1",
                    // every sender may be answered even when a crash left a counted reply behind
                    "MAILROOM_LOOP_PER_SENDER_LIMIT", "1000"));
            environment.put("MAILROOM_OUTBOX_LEASE", "2");
            // the servers killed here queue replies but send none: a kill after an SMTP final dot is
            // the one window SMTP cannot close (OutboxCrashIT's subject), not this test's
            environment.put("MAILROOM_OUTBOX_WORKERS", "0");

            long steps = 0;
            for (int kill = 1; kill <= KILLS; kill++) {
                long before = steps;
                Process serve = ServeProcess.start(environment, dir.resolve("serve-" + kill + ".log"));
                ServeProcess.await("steps being written with messages still queued", () -> ServeProcess.count(jdbi,
                        "SELECT count(*) FROM processing_steps") >= before + 15, serve, Duration.ofMinutes(2));
                ServeProcess.kill(serve);
                steps = ServeProcess.count(jdbi, "SELECT count(*) FROM processing_steps");
                assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM processing_queue")).as("killed mid-chain, kill " + kill)
                        .isPositive();
                // the dead node's leases would run out after 10 minutes: let them run out now
                jdbi.useHandle(handle -> handle.execute("UPDATE processing_queue SET lease_until = now() - interval '1 second' "
                        + "WHERE lease_until IS NOT NULL"));
            }

            environment.remove("MAILROOM_OUTBOX_WORKERS");
            Process last = ServeProcess.start(environment, dir.resolve("serve-last.log"));
            try {
                ServeProcess.await("every chain run and every reply sent", () -> ServeProcess.count(jdbi, "SELECT count(*) FROM processing_queue") == 0
                        && ServeProcess.count(jdbi, "SELECT count(*) FROM outbox WHERE state <> 'sent'") == 0, last, Duration.ofMinutes(2));
            } finally {
                ServeProcess.kill(last);
            }

            assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM outbox")).as("one queued reply per message").isEqualTo(MESSAGES);
            List<Long> autoRepliesDone = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) "
                    + "FROM processing_steps WHERE action = 'auto_reply' AND step = 'action' AND status = 'done' "
                    + "GROUP BY message_id").mapTo(Long.class).list());
            assertThat(autoRepliesDone).as("one auto_reply done per message").hasSize(MESSAGES).containsOnly(1L);
            assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM processing_steps WHERE status <> 'done'"))
                    .as("nothing failed or suppressed").isZero();
            assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM messages WHERE tags = ARRAY['answered']::text[]"))
                    .as("every message tagged once").isEqualTo(MESSAGES);

            Map<String, Long> replies = new HashMap<>();
            for (MimeMessage received : smtp.getReceivedMessages()) {
                replies.merge(received.getHeader("In-Reply-To", null), 1L, Long::sum);
            }
            assertThat(replies.keySet()).as("a reply to each message").containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, MESSAGES).mapToObj(i -> "<crash-" + i + "@customer.example>").toList());
            assertThat(replies.values()).as("exactly one reply per message at the SMTP server").containsOnly(1L);
        } finally {
            smtp.stop();
        }
    }




}
