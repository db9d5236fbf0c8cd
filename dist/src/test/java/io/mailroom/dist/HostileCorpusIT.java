package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.mime.BrokenMail;
import io.mailroom.host.mime.HostileMail;
import io.mailroom.testkit.dovecot.DovecotServer;
import io.mailroom.testkit.mail.MailCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's hostile corpus ({@link HostileMail}'s dozen and {@link BrokenMail}) among ordinary
 * mail in a real Dovecot mailbox, synced by the packaged imap plugin: every hostile message is
 * stored or quarantined, every ordinary one stored, the sync ends (the await below is a bound on a
 * stuck mailbox, not a timing assertion) and mail appended afterwards is stored by the next sync.
 */
class HostileCorpusIT {

    /** Below the 2 MB attachment of the corpus: stored as metadata only. */
    private static final int ATTACHMENT_LIMIT = 1_000_000;
    private static final Duration STUCK = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void every_hostile_message_is_stored_or_quarantined_and_the_mailbox_goes_on() {
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        Set<String> toQuarantine = new TreeSet<>();
        HostileMail.byName().forEach(hostile::put);
        BrokenMail.byName().forEach((name, mail) -> {
            hostile.put(name, mail.raw());
            if (mail.quarantined()) {
                toQuarantine.add(name);
            }
        });
        hostile.put("2 MB base64 attachment", BrokenMail.largeAttachment(2 * 1024 * 1024));
        List<byte[]> ordinary = MailCorpus.generateSmall(hostile.size() + 1, 15, Instant.now().minus(Duration.ofDays(3)));

        try (DovecotServer dovecot = DovecotServer.start(dir.resolve("dovecot"))) {
            InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic");
            try (TestMailroom mailroom = TestMailroom.start(dir,
                    Map.of("mailroom.max.attachment.size", String.valueOf(ATTACHMENT_LIMIT)))) {
                ApiClient admin = mailroom.admin();
                dovecot.addUser("hostile", "pw-hostile");
                long mailbox = mailbox(admin, dovecot);

                // an ordinary message before each hostile one, appended in a few MULTIAPPENDs
                List<byte[]> mails = new ArrayList<>();
                List<String> names = new ArrayList<>();
                int i = 0;
                for (Map.Entry<String, byte[]> mail : hostile.entrySet()) {
                    mails.add(ordinary.get(i++));
                    names.add(null);
                    mails.add(mail.getValue());
                    names.add(mail.getKey());
                }
                List<Long> uids = dovecot.appendMany("hostile", "INBOX", mails);
                Map<Long, String> hostileUids = new LinkedHashMap<>();
                List<Long> ordinaryUids = new ArrayList<>();
                for (int m = 0; m < uids.size(); m++) {
                    if (names.get(m) == null) {
                        ordinaryUids.add(uids.get(m));
                    } else {
                        hostileUids.put(uids.get(m), names.get(m));
                    }
                }

                JsonNode poll = syncToTheEnd(admin, mailbox);

                Map<Long, JsonNode> stored = new HashMap<>();
                admin.get("/api/messages?mailbox_id=" + mailbox + "&limit=500").json().get("items")
                        .forEach(message -> stored.put(message.get("uid").asLong(), message));
                JsonNode quarantine = admin.get("/api/quarantine?mailbox_id=" + mailbox + "&limit=500").json().get("items");
                List<String> notStored = hostileUids.entrySet().stream().filter(e -> !stored.containsKey(e.getKey()))
                        .map(Map.Entry::getValue).toList();

                assertThat(poll.get("status").asText()).as(poll.toString()).isEqualTo("ok");
                assertThat(stored.keySet()).as("every ordinary message is stored").containsAll(ordinaryUids);
                assertThat(notStored).as("quarantined, the rest stored").containsExactlyInAnyOrderElementsOf(toQuarantine);
                assertThat(quarantine).as("each message not stored is quarantined").hasSize(notStored.size());
                quarantine.forEach(q -> assertThat(q.get("reason").asText()).isNotBlank().doesNotContain("the parser failed"));
                assertThat(stored).hasSize(ordinaryUids.size() + hostileUids.size() - toQuarantine.size());

                JsonNode large = stored.get(uidOf(hostileUids, "2 MB base64 attachment"));
                JsonNode bigPart = large.get("attachments").get(0);
                assertThat(bigPart.get("size").asLong()).isEqualTo(2 * 1024 * 1024);
                assertThat(bigPart.get("stored").asBoolean()).as("over the attachment limit: metadata only").isFalse();
                assertThat(admin.get("/api/messages/" + large.get("id").asLong() + "/attachments/0").status()).isEqualTo(404);
                JsonNode bomb = stored.get(uidOf(hostileUids, "gzip bomb attachment"));
                JsonNode gz = bomb.get("attachments").get(0);
                assertThat(gz.get("size").asLong()).as("the bomb is counted as it came, never inflated")
                        .isLessThan(ATTACHMENT_LIMIT).isLessThan(BrokenMail.BOMB_BYTES);
                assertThat(admin.get("/api/messages/" + bomb.get("id").asLong() + "/attachments/0").status()).isEqualTo(200);

                long later = dovecot.append("hostile", "INBOX", ordinary.getLast());
                JsonNode next = syncToTheEnd(admin, mailbox);
                assertThat(next.get("status").asText()).as(next.toString()).isEqualTo("ok");
                // stored by this sync (or by a scheduled one just before it): the mailbox is not stuck
                assertThat(admin.get("/api/messages?mailbox_id=" + mailbox + "&limit=500").json().get("items")
                        .valueStream().anyMatch(m -> m.get("uid").asLong() == later)).as("the message appended later is stored").isTrue();
            }
        }
    }

    private static long mailbox(ApiClient admin, DovecotServer dovecot) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "hostile");
        body.put("email", "hostile@example.com");
        body.put("source", "imap");
        body.put("max_messages_per_poll", 500);
        body.put("settings", Map.of("host", dovecot.host(), "port", dovecot.imapPort(), "security", "none",
                "username", "hostile", "password", "pw-hostile"));
        Reply created = admin.post("/api/mailboxes", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    /**
     * Syncs now and waits for the poll (waiting while another run of the mailbox holds it, 409); a
     * sync not done after {@link #STUCK} is a stuck mailbox.
     */
    private static JsonNode syncToTheEnd(ApiClient admin, long mailbox) {
        long deadline = System.nanoTime() + STUCK.toNanos();
        try {
            Reply poll;
            do {
                poll = CompletableFuture.supplyAsync(() -> admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null))
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (poll.status() == 409) {
                    Thread.sleep(200);
                }
            } while (poll.status() == 409 && System.nanoTime() < deadline);
            assertThat(poll.status()).as(poll.body()).isEqualTo(200);
            return poll.json();
        } catch (TimeoutException stuck) {
            throw new AssertionError("the sync did not end within " + STUCK, stuck);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long uidOf(Map<Long, String> uids, String name) {
        return uids.entrySet().stream().filter(e -> e.getValue().equals(name)).findFirst().orElseThrow().getKey();
    }
}
