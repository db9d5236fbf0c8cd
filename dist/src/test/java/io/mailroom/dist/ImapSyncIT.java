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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** IMAP mailboxes configured through the API and synced from a real Dovecot by the packaged imap plugin. */
class ImapSyncIT {

    private static final AtomicInteger USERS = new AtomicInteger();

    @TempDir
    static Path dir;
    static Installation installation;
    static DovecotServer dovecot;
    static ApiClient admin;

    @BeforeAll
    static void start() {
        installation = Installation.start(dir, "imap-basic");
        dovecot = installation.dovecot();
        admin = installation.admin();
    }

    @AfterAll
    static void stop() {
        installation.close();
    }

    /** A fresh Dovecot user and a mailbox for it; {@code options} override the defaults. */
    private static Account account(Map<String, Object> options, String... serverFolders) {
        String user = "user" + USERS.incrementAndGet();
        dovecot.addUser(user, "pw-" + user);
        for (String folder : serverFolders) {
            dovecot.createFolder(user, folder);
        }
        Map<String, Object> body = new HashMap<>();
        body.put("name", user);
        body.put("email", user + "@example.com");
        body.put("source", "imap");
        body.put("settings", Map.of("host", dovecot.host(), "port", dovecot.imapPort(), "security", "none",
                "username", user, "password", "pw-" + user));
        body.putAll(options);
        Reply created = admin.post("/api/mailboxes", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Account(user, created.json().get("id").asLong());
    }

    private record Account(String user, long mailboxId) {
    }

    /** Syncs now, waiting while an earlier run of the mailbox still holds it (409). */
    private static JsonNode sync(Account account) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Reply poll = admin.post("/api/mailboxes/" + account.mailboxId() + "/sync?wait=true", null);
        while (poll.status() == 409 && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(100));
            poll = admin.post("/api/mailboxes/" + account.mailboxId() + "/sync?wait=true", null);
        }
        assertThat(poll.status()).as(poll.body()).isEqualTo(200);
        return poll.json();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<byte[]> corpus(int count, long seed) {
        return MailCorpus.generate(count, seed, Instant.now().minus(Duration.ofDays(20)));
    }

    private static boolean running(Account account) {
        JsonNode polls = admin.get("/api/mailboxes/" + account.mailboxId() + "/polls").json().get("items");
        return !polls.isEmpty() && polls.get(0).get("status").asText().equals("running");
    }

    private static long total(String query) {
        return admin.get(query).json().get("total").asLong();
    }

    @Test
    void a_mailbox_imports_every_message_once_a_resync_adds_nothing_and_new_mail_is_picked_up() {
        Account account = account(Map.of("max_messages_per_poll", 400));
        List<byte[]> mails = corpus(2000, 1);
        dovecot.appendMany(account.user(), "INBOX", mails);

        JsonNode first = sync(account);
        JsonNode second = sync(account);
        dovecot.appendMany(account.user(), "INBOX", corpus(3, 2));
        JsonNode third = sync(account);

        assertThat(first.get("status").asText()).isEqualTo("ok");
        assertThat(first.get("stored").asInt()).isEqualTo(2000);
        assertThat(second.get("found").asInt()).isZero();
        assertThat(second.get("stored").asInt()).isZero();
        assertThat(third.get("stored").asInt()).isEqualTo(3);
        assertThat(total("/api/messages?mailbox_id=" + account.mailboxId())).isEqualTo(2003);
        assertThat(total("/api/threads?mailbox_id=" + account.mailboxId())).isLessThan(2003);
        JsonNode firstMessage = admin.get("/api/messages?mailbox_id=" + account.mailboxId() + "&limit=1").json()
                .get("items").get(0);
        Reply raw = admin.get("/api/messages/" + firstMessage.get("id").asLong() + "/raw");
        assertThat(raw.contentType()).startsWith("message/rfc822");
        assertThat(raw.body()).isEqualTo(new String(mails.getFirst(), StandardCharsets.UTF_8));
        List<Long> uids = dovecot.uids(account.user(), "INBOX");
        for (long uid : List.of(uids.getFirst(), uids.get(uids.size() / 2), uids.getLast())) {
            assertThat(dovecot.flags(account.user(), "INBOX", uid)).as("uid %d stays unread", uid).doesNotContain("\\Seen");
        }
    }

    @Test
    void messages_threads_attachments_and_reprocessing_through_the_api() {
        Account account = account(Map.of());
        dovecot.appendMany(account.user(), "INBOX", corpus(40, 11));
        sync(account);

        JsonNode messages = admin.get("/api/messages?mailbox_id=" + account.mailboxId() + "&limit=500").json().get("items");
        JsonNode withAttachment = null;
        int bulk = 0;
        for (JsonNode message : messages) {
            if (withAttachment == null && message.get("attachments").size() > 0) {
                withAttachment = message;
            }
            bulk += message.get("classification").asText().equals("bulk") ? 1 : 0;
        }
        assertThat(withAttachment).as("the corpus has attachments").isNotNull();
        JsonNode attachment = withAttachment.get("attachments").get(0);
        Reply bytes = admin.get("/api/messages/" + withAttachment.get("id").asLong() + "/attachments/0");
        assertThat(attachment.get("stored").asBoolean()).isTrue();
        assertThat(bytes.status()).isEqualTo(200);
        assertThat(bytes.contentType()).startsWith(attachment.get("content_type").asText());
        assertThat(bulk).as("newsletters are classified bulk").isPositive();

        JsonNode thread = admin.get("/api/threads?mailbox_id=" + account.mailboxId() + "&limit=500").json().get("items")
                .valueStream().filter(t -> t.get("message_count").asInt() > 1).findFirst().orElseThrow();
        JsonNode inThread = admin.get("/api/threads/" + thread.get("id").asLong() + "/messages").json().get("items");
        assertThat(inThread).hasSize(thread.get("message_count").asInt());
        assertThat(inThread.get(1).get("date").asText()).isGreaterThanOrEqualTo(inThread.get(0).get("date").asText());

        long id = messages.get(0).get("id").asLong();
        Reply reprocessed = admin.post("/api/messages/" + id + "/reprocess", null);
        assertThat(reprocessed.status()).isEqualTo(200);
        assertThat(reprocessed.json().get("subject").asText()).isEqualTo(messages.get(0).get("subject").asText());
        assertThat(admin.get("/api/messages?mailbox_id=" + account.mailboxId() + "&q="
                + messages.get(0).get("from").get("email").asText()).json().get("total").asLong()).isPositive();
    }

    @Test
    void the_same_mail_delivered_to_two_mailboxes_is_stored_in_each() {
        Account first = account(Map.of());
        Account second = account(Map.of());
        List<byte[]> mails = corpus(5, 12);
        dovecot.appendMany(first.user(), "INBOX", mails);
        dovecot.appendMany(second.user(), "INBOX", mails);

        assertThat(sync(first).get("stored").asInt()).isEqualTo(5);
        assertThat(sync(second).get("stored").asInt()).isEqualTo(5);
    }

    @Test
    void only_one_sync_runs_per_mailbox_at_a_time() {
        Account account = account(Map.of("max_messages_per_poll", 5));
        dovecot.appendMany(account.user(), "INBOX", corpus(150, 13));

        admin.post("/api/mailboxes/" + account.mailboxId() + "/sync", null);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!running(account) && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(5));
        }
        Reply second = admin.post("/api/mailboxes/" + account.mailboxId() + "/sync?wait=true", null);

        assertThat(second.status()).as(second.body()).isEqualTo(409);
        assertThat(second.json().get("error").asText()).isEqualTo("conflict");
        sync(account);
        assertThat(total("/api/messages?mailbox_id=" + account.mailboxId()))
                .isEqualTo(dovecot.uids(account.user(), "INBOX").size());
    }

    @Test
    void a_maintenance_pause_stops_a_running_sync_after_its_batch_and_the_next_run_goes_on() {
        Account account = account(Map.of("max_messages_per_poll", 10));
        dovecot.appendMany(account.user(), "INBOX", corpus(300, 14));
        admin.post("/api/mailboxes/" + account.mailboxId() + "/sync", null);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (total("/api/messages?mailbox_id=" + account.mailboxId()) == 0 && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(5));
        }
        JsonNode paused;
        try {
            assertThat(admin.post("/api/maintenance", Map.of("paused", true)).status()).isEqualTo(200);
            while (running(account) && System.nanoTime() < deadline) {
                pause(Duration.ofMillis(20));
            }
            paused = admin.get("/api/mailboxes/" + account.mailboxId() + "/polls").json().get("items").get(0);
            assertThat(admin.post("/api/mailboxes/" + account.mailboxId() + "/sync?wait=true", null).status())
                    .isEqualTo(409);
        } finally {
            admin.post("/api/maintenance", Map.of("paused", false));
        }

        assertThat(paused.get("status").asText()).isEqualTo("partial");
        assertThat(paused.get("stored").asInt()).isLessThan(300).isEqualTo(paused.get("stored").asInt() / 10 * 10);
        sync(account);
        assertThat(total("/api/messages?mailbox_id=" + account.mailboxId())).isEqualTo(300);
    }

    @Test
    void processed_mail_is_marked_read_and_moved_after_it_is_stored() {
        Account account = account(Map.of("mark_as_read", true, "move_processed_to", "Processed"));
        dovecot.appendMany(account.user(), "INBOX", corpus(12, 3));

        JsonNode poll = sync(account);

        assertThat(poll.get("stored").asInt()).isEqualTo(12);
        assertThat(dovecot.uids(account.user(), "INBOX")).isEmpty();
        List<Long> moved = dovecot.uids(account.user(), "Processed");
        assertThat(moved).hasSize(12);
        assertThat(dovecot.flags(account.user(), "Processed", moved.getFirst())).contains("\\Seen");
        assertThat(sync(account).get("stored").asInt()).isZero();
    }

    @Test
    void flag_changes_and_deletions_by_another_client_reach_the_stored_messages() {
        Account account = account(Map.of());
        dovecot.appendMany(account.user(), "INBOX", corpus(6, 4));
        sync(account);
        List<Long> uids = dovecot.uids(account.user(), "INBOX");

        dovecot.addFlags(account.user(), "INBOX", new long[]{uids.get(0)}, "\\Flagged", "\\Seen");
        dovecot.expunge(account.user(), "INBOX", uids.get(1));
        sync(account);

        Map<Long, JsonNode> byUid = new HashMap<>();
        admin.get("/api/messages?mailbox_id=" + account.mailboxId()).json().get("items")
                .forEach(message -> byUid.put(message.get("uid").asLong(), message));
        assertThat(byUid.get(uids.get(0)).get("flags").toString()).contains("\\\\Flagged", "\\\\Seen");
        assertThat(byUid.get(uids.get(1)).get("deleted_on_server").asBoolean()).isTrue();
        assertThat(byUid.get(uids.get(2)).get("deleted_on_server").asBoolean()).isFalse();
    }

    @Test
    void a_new_uidvalidity_reads_the_folder_again_without_duplicates() {
        Account account = account(Map.of("folders", List.of("Team")), "Team");
        List<byte[]> mails = corpus(8, 5);
        dovecot.appendMany(account.user(), "Team", mails.subList(0, 6));
        sync(account);

        dovecot.recreateFolder(account.user(), "Team");
        dovecot.appendMany(account.user(), "Team", mails.subList(1, 8));
        JsonNode poll = sync(account);

        assertThat(poll.get("stored").asInt()).isEqualTo(2);
        assertThat(poll.get("skipped").asInt()).isEqualTo(5);
        assertThat(poll.get("events").toString()).contains("UIDVALIDITY");
        assertThat(total("/api/messages?mailbox_id=" + account.mailboxId())).isEqualTo(8);
        Set<Boolean> gone = new HashSet<>();
        admin.get("/api/messages?mailbox_id=" + account.mailboxId()).json().get("items").forEach(message -> {
            if (message.get("deleted_on_server").asBoolean()) {
                gone.add(true);
            }
        });
        assertThat(gone).containsExactly(true);
    }

    @Test
    void folders_follow_the_server_and_a_deleted_folder_with_mail_is_kept_as_deleted() {
        Account account = account(Map.of("folders", List.of("INBOX", "Archive")), "Archive", "Empty");
        dovecot.appendMany(account.user(), "Archive", corpus(3, 6));
        sync(account);

        dovecot.deleteFolder(account.user(), "Archive");
        dovecot.deleteFolder(account.user(), "Empty");
        sync(account);

        Map<String, JsonNode> folders = new HashMap<>();
        admin.get("/api/mailboxes/" + account.mailboxId() + "/folders").json().get("items")
                .forEach(folder -> folders.put(folder.get("name").asText(), folder));
        assertThat(folders).containsKey("INBOX").doesNotContainKey("Empty");
        assertThat(folders.get("Archive").get("deleted_on_server").asBoolean()).isTrue();
        assertThat(total("/api/messages?mailbox_id=" + account.mailboxId() + "&folder=Archive")).isEqualTo(3);
    }

    @Test
    void the_first_sync_takes_only_mail_newer_than_first_sync_days() {
        Account account = account(Map.of("first_sync_days", 30));
        List<byte[]> mails = corpus(4, 7);
        dovecot.append(account.user(), "INBOX", mails.get(0), Instant.now().minus(Duration.ofDays(400)));
        dovecot.append(account.user(), "INBOX", mails.get(1), Instant.now().minus(Duration.ofDays(40)));
        dovecot.append(account.user(), "INBOX", mails.get(2), Instant.now().minus(Duration.ofDays(2)));
        dovecot.append(account.user(), "INBOX", mails.get(3), Instant.now());

        assertThat(sync(account).get("stored").asInt()).isEqualTo(2);
    }

    @Test
    void first_sync_days_null_takes_all_mail_whatever_its_age() {
        Map<String, Object> allMail = new HashMap<>();
        allMail.put("first_sync_days", null);
        Account account = account(allMail);
        List<byte[]> mails = corpus(3, 11);
        dovecot.append(account.user(), "INBOX", mails.get(0), Instant.now().minus(Duration.ofDays(40_000)));
        dovecot.append(account.user(), "INBOX", mails.get(1), Instant.now().minus(Duration.ofDays(400)));
        dovecot.append(account.user(), "INBOX", mails.get(2), Instant.now());

        assertThat(sync(account).get("stored").asInt()).isEqualTo(3);
    }

    @Test
    void a_message_that_is_not_mail_is_quarantined_and_the_rest_is_stored() {
        Account account = account(Map.of());
        dovecot.appendMany(account.user(), "INBOX", corpus(2, 8));
        dovecot.append(account.user(), "INBOX", "this is not a mail message at all\r\n".getBytes(StandardCharsets.UTF_8));
        dovecot.appendMany(account.user(), "INBOX", corpus(2, 9));

        JsonNode poll = sync(account);
        JsonNode quarantine = admin.get("/api/quarantine?mailbox_id=" + account.mailboxId()).json();
        Reply retry = admin.post("/api/quarantine/" + quarantine.get("items").get(0).get("id").asLong() + "/retry", null);

        assertThat(poll.get("stored").asInt()).isEqualTo(4);
        assertThat(poll.get("quarantined").asInt()).isEqualTo(1);
        assertThat(quarantine.get("items").get(0).get("reason").asText()).isNotBlank();
        assertThat(retry.status()).isEqualTo(422);
        assertThat(sync(account).get("quarantined").asInt()).isZero();
    }

    @Test
    void a_server_crash_in_the_middle_of_a_sync_loses_and_duplicates_nothing() {
        Account account = account(Map.of("max_messages_per_poll", 10));
        dovecot.appendMany(account.user(), "INBOX", corpus(200, 10));

        admin.post("/api/mailboxes/" + account.mailboxId() + "/sync", null);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (total("/api/messages?mailbox_id=" + account.mailboxId()) == 0 && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(20));
        }
        dovecot.crash();
        pause(Duration.ofMillis(200));
        dovecot.resume();
        JsonNode poll = sync(account);
        while (poll.get("status").asText().equals("failed") && System.nanoTime() < deadline) {
            poll = sync(account);
        }

        assertThat(poll.get("status").asText()).isEqualTo("ok");
        assertThat(total("/api/messages?mailbox_id=" + account.mailboxId())).isEqualTo(200);
        JsonNode polls = admin.get("/api/mailboxes/" + account.mailboxId() + "/polls").json();
        int stored = 0;
        for (JsonNode p : polls.get("items")) {
            stored += p.get("stored").asInt();
        }
        assertThat(stored).isEqualTo(200);
    }

    @Test
    void a_move_the_server_refuses_never_stops_the_sync_and_mail_appended_later_is_stored() {
        // Dovecot refuses to create a folder whose name is longer than a file name may be
        Account account = account(Map.of("move_processed_to", "x".repeat(300)));
        dovecot.appendMany(account.user(), "INBOX", corpus(2, 21));

        JsonNode first = sync(account);
        dovecot.appendMany(account.user(), "INBOX", corpus(1, 22));
        JsonNode second = sync(account);

        assertThat(first.get("stored").asInt()).isEqualTo(2);
        assertThat(first.get("events").toString()).contains("move to", "failed (attempt 1");
        assertThat(second.get("status").asText()).as(second.toString()).isEqualTo("ok");
        assertThat(second.get("stored").asInt()).isEqualTo(1);
        assertThat(total("/api/messages?mailbox_id=" + account.mailboxId())).isEqualTo(3);
        assertThat(dovecot.uids(account.user(), "INBOX")).hasSize(3);
    }

    @Test
    void one_message_in_two_enabled_folders_is_two_rows_in_one_thread() {
        Account account = account(Map.of("folders", List.of("INBOX", "Archive")), "Archive");
        byte[] mail = corpus(1, 23).getFirst();
        dovecot.append(account.user(), "INBOX", mail);
        dovecot.append(account.user(), "Archive", mail);

        JsonNode poll = sync(account);
        JsonNode again = sync(account);

        assertThat(poll.get("stored").asInt()).isEqualTo(2);
        assertThat(again.get("stored").asInt()).isZero();
        JsonNode items = admin.get("/api/messages?mailbox_id=" + account.mailboxId()).json().get("items");
        Set<String> folders = new HashSet<>();
        Set<Long> threads = new HashSet<>();
        items.forEach(message -> {
            folders.add(message.get("folder").asText());
            threads.add(message.get("thread_id").asLong());
        });
        assertThat(items).hasSize(2);
        assertThat(folders).containsExactlyInAnyOrder("INBOX", "Archive");
        assertThat(threads).hasSize(1);
    }

    @Test
    void a_message_over_the_configured_size_limit_is_skipped_with_the_reason_and_later_mail_is_stored(
            @TempDir Path own) {
        InstalledPlugins.copy(own.resolve("plugins"), "imap-basic");
        try (io.mailroom.host.TestMailroom small = io.mailroom.host.TestMailroom.start(own,
                Map.of("mailroom.max.message.size", "100000"))) {
            ApiClient client = small.admin();
            String user = "user" + USERS.incrementAndGet();
            dovecot.addUser(user, "pw-" + user);
            Map<String, Object> body = new HashMap<>();
            body.put("name", user);
            body.put("email", user + "@example.com");
            body.put("source", "imap");
            body.put("settings", Map.of("host", dovecot.host(), "port", dovecot.imapPort(), "security", "none",
                    "username", user, "password", "pw-" + user));
            long id = client.post("/api/mailboxes", body).json().get("id").asLong();
            String big = "Subject: big\r\nFrom: a@example.com\r\nMessage-ID: <big@x>\r\n\r\n"
                    + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678\r\n".repeat(4000);
            dovecot.appendMany(user, "INBOX", corpus(1, 24));
            dovecot.append(user, "INBOX", big.getBytes(StandardCharsets.US_ASCII));
            dovecot.appendMany(user, "INBOX", corpus(1, 25));

            JsonNode poll = client.post("/api/mailboxes/" + id + "/sync?wait=true", null).json();
            JsonNode again = client.post("/api/mailboxes/" + id + "/sync?wait=true", null).json();

            assertThat(poll.get("status").asText()).isEqualTo("ok");
            assertThat(poll.get("stored").asInt()).isEqualTo(2);
            assertThat(poll.get("skipped").asInt()).isEqualTo(1);
            assertThat(poll.get("events").toString()).contains("bigger than the limit of 100000 bytes");
            assertThat(again.get("found").asInt()).isZero();
            assertThat(client.get("/api/messages?mailbox_id=" + id).json().get("total").asLong()).isEqualTo(2);
            JsonNode skipped = client.get("/api/mailboxes/" + id + "/skipped").json().get("items");
            assertThat(skipped).hasSize(1);
            assertThat(skipped.get(0).get("reason").asText()).contains("bigger than the limit of 100000 bytes");
            assertThat(skipped.get(0).get("size").asLong()).isEqualTo(100_001);
        }
    }
}
