package io.mailroom.dist;

import io.mailroom.host.TestMailroom;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.store.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
        try (StallingSmtpServer smtp = new StallingSmtpServer();
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
            smtp.stall = "greeting";
            Process first = ServeProcess.start(environment, dir.resolve("serve-1.log"));
            ServeProcess.await("a claimed attempt at the held greeting", () -> smtp.connections.get() > 0
                    && ServeProcess.count(jdbi, "SELECT count(*) FROM outbox WHERE state = 'sending'") > 0, first, Duration.ofMinutes(3));
            ServeProcess.kill(first);
            assertThat(smtp.accepted).isEmpty();

            // 2. DATA recorded and sent, its 354 held back: killed during DATA.
            smtp.stall = "data";
            Process second = ServeProcess.start(environment, dir.resolve("serve-2.log"));
            ServeProcess.await("an attempt inside DATA", () -> smtp.dataCommands.get() > 0
                    && ServeProcess.count(jdbi, "SELECT count(*) FROM outbox WHERE data_at IS NOT NULL AND end_of_data_at IS NULL") > 0,
                    second, Duration.ofMinutes(3));
            ServeProcess.kill(second);
            assertThat(smtp.accepted).isEmpty();

            // 3. A restarted server reconciles the abandoned attempts and sends everything.
            smtp.stall = "none";
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





    /**
     * An SMTP server on loopback that can hold a connection at its greeting or at its answer to
     * DATA (never answering, until the client goes away), and records the Message-ID of each mail
     * it accepted with 250 after the final dot.
     */
    private static final class StallingSmtpServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger dataCommands = new java.util.concurrent.atomic.AtomicInteger();
        volatile String stall = "none";

        StallingSmtpServer() throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        Thread.ofPlatform().daemon().start(() -> converse(client));
                    } catch (IOException e) {
                        // closing
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        private void converse(Socket client) {
            try (client) {
                connections.incrementAndGet();
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = client.getOutputStream();
                if (stall.equals("greeting")) {
                    in.read(); // held until the client dies
                    return;
                }
                say(out, "220 stalling.test ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                    switch (command) {
                        case "EHLO" -> say(out, "250-stalling.test\r\n250 8BITMIME");
                        case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> say(out, "250 OK");
                        case "DATA" -> {
                            dataCommands.incrementAndGet();
                            if (stall.equals("data")) {
                                in.read();
                                return;
                            }
                            say(out, "354 go ahead");
                            String messageId = null;
                            String data;
                            while ((data = in.readLine()) != null && !data.equals(".")) {
                                if (messageId == null && data.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                                    messageId = data.substring(11).strip();
                                }
                            }
                            if (data == null) {
                                return; // dropped before the final dot: nothing accepted
                            }
                            accepted.add(messageId == null ? "" : messageId.replaceAll("^<|>$", ""));
                            say(out, "250 OK queued");
                        }
                        case "QUIT" -> {
                            say(out, "221 bye");
                            return;
                        }
                        default -> say(out, "502 5.5.1 not implemented");
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private static void say(OutputStream out, String reply) throws IOException {
            out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
