package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.testkit.dovecot.DovecotServer;
import io.mailroom.testkit.mail.MailCorpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** POP3 mailboxes configured through the API and imported from a real Dovecot by the packaged pop3 plugin. */
class Pop3SyncIT {

    private static final int MESSAGES = 2000;

    @TempDir
    static Path dir;
    static Installation installation;
    static DovecotServer dovecot;
    static ApiClient admin;

    @BeforeAll
    static void start() {
        installation = Installation.start(dir, "pop3");
        dovecot = installation.dovecot();
        admin = installation.admin();
    }

    @AfterAll
    static void stop() {
        installation.close();
    }

    /** A Dovecot user holding {@code MESSAGES} messages, one hour apart up to now, and a POP3 mailbox for it. */
    private static long mailbox(String user, String serverCopy) {
        dovecot.addUser(user, "pw");
        dovecot.appendMany(user, "INBOX", MailCorpus.generate(MESSAGES, user.hashCode(),
                Instant.now().minus(Duration.ofHours(MESSAGES))));
        Map<String, Object> body = new HashMap<>(Map.of("name", user, "email", user + "@example.com",
                "source", "pop3", "max_messages_per_poll", 300,
                "settings", Map.of("host", dovecot.host(), "port", dovecot.pop3Port(), "security", "none",
                        "username", user, "password", "pw", "server_copy", serverCopy, "delete_after_days", 14)));
        body.put("first_sync_days", null); // all mail: no window, no Date headers read before the download
        Reply created = admin.post("/api/mailboxes", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static JsonNode sync(long mailbox) {
        Reply poll = admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);
        assertThat(poll.status()).as(poll.body()).isEqualTo(200);
        assertThat(poll.json().get("status").asText()).as(poll.body()).isEqualTo("ok");
        return poll.json();
    }

    private static long stored(long mailbox) {
        return admin.get("/api/messages?mailbox_id=" + mailbox).json().get("total").asLong();
    }

    @Test
    void leaving_mail_on_the_server_imports_each_message_once_and_picks_up_new_mail() {
        long mailbox = mailbox("keep", "keep");

        assertThat(sync(mailbox).get("stored").asInt()).isEqualTo(MESSAGES);
        assertThat(sync(mailbox).get("stored").asInt()).isZero();
        dovecot.appendMany("keep", "INBOX", MailCorpus.generate(3, 99, Instant.now()));
        assertThat(sync(mailbox).get("stored").asInt()).isEqualTo(3);

        assertThat(stored(mailbox)).isEqualTo(MESSAGES + 3);
        assertThat(dovecot.uids("keep", "INBOX")).hasSize(MESSAGES + 3);
    }

    @Test
    void deleting_after_import_empties_the_server_and_stores_each_message_once() {
        long mailbox = mailbox("deleter", "delete_after_import");

        assertThat(sync(mailbox).get("stored").asInt()).isEqualTo(MESSAGES);
        assertThat(sync(mailbox).get("stored").asInt()).isZero();

        assertThat(stored(mailbox)).isEqualTo(MESSAGES);
        assertThat(dovecot.uids("deleter", "INBOX")).isEmpty();
    }

    @Test
    void deleting_after_days_keeps_only_recent_mail_on_the_server() {
        long mailbox = mailbox("ager", "delete_after_days");

        assertThat(sync(mailbox).get("stored").asInt()).isEqualTo(MESSAGES);
        assertThat(sync(mailbox).get("stored").asInt()).isZero();

        assertThat(stored(mailbox)).isEqualTo(MESSAGES);
        List<Long> left = dovecot.uids("ager", "INBOX");
        assertThat(left.size()).isBetween(14 * 24 - 2, 14 * 24 + 2);
    }

    @Test
    void mail_older_than_the_first_sync_window_is_skipped_once_and_never_downloaded_again() {
        dovecot.addUser("window", "pw");
        // 5 messages sent about 40 days ago, 5 sent in the last day; the window is 30 days
        dovecot.appendMany("window", "INBOX", MailCorpus.generate(5, 41, Instant.now().minus(Duration.ofDays(40))));
        dovecot.appendMany("window", "INBOX", MailCorpus.generate(5, 42, Instant.now().minus(Duration.ofHours(20))));
        Reply created = admin.post("/api/mailboxes", Map.of("name", "window", "email", "window@example.com",
                "source", "pop3", "first_sync_days", 30,
                "settings", Map.of("host", dovecot.host(), "port", dovecot.pop3Port(), "security", "none",
                        "username", "window", "password", "pw", "server_copy", "keep")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long mailbox = created.json().get("id").asLong();

        JsonNode first = sync(mailbox);
        JsonNode second = sync(mailbox);

        assertThat(first.get("found").asInt()).isEqualTo(10);
        assertThat(first.get("stored").asInt()).isEqualTo(5);
        assertThat(first.get("skipped").asInt()).isEqualTo(5);
        assertThat(second.get("found").asInt()).as("the old mail is not downloaded again").isZero();
        assertThat(stored(mailbox)).isEqualTo(5);
        assertThat(admin.get("/api/mailboxes/" + mailbox + "/skipped").json().get("total").asLong()).isEqualTo(5);
        assertThat(dovecot.uids("window", "INBOX")).hasSize(10);
    }

    @Test
    void two_uidls_with_identical_bytes_are_two_stable_rows_not_downloaded_again() {
        long mailbox = mailbox("twins", "keep");
        byte[] twin = MailCorpus.generate(1, 77, Instant.now()).getFirst();
        dovecot.append("twins", "INBOX", twin);
        dovecot.append("twins", "INBOX", twin);

        JsonNode first = sync(mailbox);
        JsonNode second = sync(mailbox);

        assertThat(first.get("stored").asInt()).isEqualTo(MESSAGES + 2);
        assertThat(second.get("found").asInt()).isZero();
        assertThat(stored(mailbox)).isEqualTo(MESSAGES + 2);
    }
}
