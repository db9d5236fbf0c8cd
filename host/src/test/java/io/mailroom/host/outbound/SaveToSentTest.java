package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.mailroom.host.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * save_sent: what the SMTP server took is appended to the source's Sent folder, and the next sync
 * of that folder recognises it instead of storing it twice. The server is a stand-in IMAP source
 * (id {@code imap}, so the default applies) keeping its Sent folder in files.
 */
class SaveToSentTest {

    private static final String SOURCE = """
            package sample.filed;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;
            import java.io.IOException;
            import java.io.InputStream;
            import java.io.UncheckedIOException;
            import java.nio.file.*;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.Set;

            public class Source implements MailSource {
                @Override public String id() { return "imap"; }
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(SettingDescriptor.optional("sent", SettingType.STRING, "Sent", "the Sent folder, or none"));
                }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    String sentName = account.settings().get("sent");
                    Path sent = Path.of(System.getProperty("savetosent.dir"), Long.toString(account.mailboxId()));
                    return new SourceConnection() {
                        @Override public List<String> capabilities() { return List.of(); }
                        @Override public List<FolderInfo> folders() {
                            List<FolderInfo> folders = new ArrayList<>(List.of(new FolderInfo("INBOX", Set.of(), 0)));
                            if (!sentName.equals("none")) {
                                folders.add(new FolderInfo(sentName, Set.of("\\\\HasNoChildren", "\\\\Sent"), count()));
                            }
                            return folders;
                        }
                        @Override public boolean supportsAppend() { return true; }
                        @Override public void append(String folder, RawContent content, Set<String> flags) {
                            if (!folder.equals(sentName)) {
                                throw new PermanentException("no folder " + folder);
                            }
                            try (InputStream in = content.open()) {
                                Files.createDirectories(sent);
                                long uid = count() + 1;
                                Files.write(sent.resolve(uid + ".eml"), in.readAllBytes());
                                Files.writeString(sent.resolve(uid + ".flags"), String.join(" ", flags));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        long count() {
                            try (var files = Files.exists(sent) ? Files.list(sent) : java.util.stream.Stream.<Path>empty()) {
                                return files.filter(p -> p.toString().endsWith(".eml")).count();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        @Override public FolderReader open(String folder, SyncCursor cursor, FetchOptions options) {
                            if (folder.equals("INBOX")) {
                                return reader(List.of(), cursor);
                            }
                            if (!folder.equals(sentName)) {
                                throw new PermanentException("no folder " + folder);
                            }
                            List<RawMessage> messages = new ArrayList<>();
                            for (long uid = 1; uid <= count(); uid++) {
                                try {
                                    byte[] bytes = Files.readAllBytes(sent.resolve(uid + ".eml"));
                                    Set<String> flags = Set.of(Files.readString(sent.resolve(uid + ".flags")).split(" "));
                                    messages.add(new RawMessage(Long.toString(uid), uid, null, flags, RawContent.of(bytes)));
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }
                            return reader(messages, cursor);
                        }
                        FolderReader reader(List<RawMessage> all, SyncCursor cursor) {
                            long from = cursor.validity() == 7 ? cursor.lastUid() : 0;
                            return new FolderReader() {
                                boolean done;
                                @Override public SyncCursor serverCursor() { return new SyncCursor(7, all.size(), 0); }
                                @Override public FolderBatch next(int maxMessages, long maxBytes) {
                                    if (done) {
                                        return new FolderBatch(List.of(), new SyncCursor(7, all.size(), 0));
                                    }
                                    done = true;
                                    return new FolderBatch(all.subList((int) Math.min(from, all.size()), all.size()),
                                        new SyncCursor(7, all.size(), 0));
                                }
                                @Override public void close() { }
                            };
                        }
                        @Override public void apply(String folder, long validity, List<PostAction> actions) { }
                        @Override public void close() { }
                    };
                }
            }
            """;

    @TempDir
    static Path dir;
    static GreenMail smtp;
    static TestMailroom mailroom;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        PluginJarBuilder.plugin("filed-imap").source("sample.filed.Source", SOURCE)
                .service(MailSource.class, "sample.filed.Source")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        System.setProperty("savetosent.dir", Files.createDirectories(dir.resolve("servers")).toString());
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        mailroom = TestMailroom.start(dir, Map.of("mailroom.outbox.poll.ms", "100"));
        admin = mailroom.admin();
    }

    @AfterAll
    static void stop() {
        mailroom.close();
        smtp.stop();
        System.clearProperty("savetosent.dir");
    }

    private static long mailbox(String email, String sentFolder, Boolean saveSent) {
        Map<String, Object> smtpSettings = new HashMap<>(Map.of("host", "127.0.0.1", "port", smtp.getSmtp().getPort(),
                "security", "none"));
        if (saveSent != null) {
            smtpSettings.put("save_sent", saveSent);
        }
        var created = admin.post("/api/mailboxes", Map.of("name", email, "email", email, "source", "imap",
                "settings", Map.of("sent", sentFolder), "folders", List.of("INBOX", sentFolder), "smtp", smtpSettings));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static long send(long mailbox, String subject) {
        var reply = admin.post("/api/send", Map.of("mailbox_id", mailbox, "to", "bob@customer.example",
                "subject", subject, "text", "Kept in Sent"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        long id = reply.json().get("id").asLong();
        await("sent", () -> admin.get("/api/messages/" + id).json().get("status").asText().equals("sent"));
        return id;
    }

    private static JsonNode delivery(long message) {
        return admin.get("/api/messages/" + message + "/delivery").json();
    }

    @Test
    void a_sent_mail_is_appended_to_sent_seen_and_the_next_sync_stores_no_duplicate() throws Exception {
        long mailbox = mailbox("kim@example.com", "Sent", null);
        assertThat(admin.get("/api/mailboxes/" + mailbox).json().get("smtp").get("save_sent").asBoolean())
                .as("on by default for IMAP sources").isTrue();

        long id = send(mailbox, "Filed in Sent");
        await("the copy", () -> "saved".equals(delivery(id).path("sent_copy").asText()));

        Path copy = Path.of(System.getProperty("savetosent.dir"), Long.toString(mailbox), "1.eml");
        assertThat(Files.readAllBytes(copy)).as("the bytes that went out")
                .isEqualTo(admin.get("/api/messages/" + id + "/raw").body().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(Files.readString(copy.resolveSibling("1.flags"))).isEqualTo("\\Seen");
        assertThat(delivery(id).get("sent_copy_note").asText()).isEqualTo("saved to Sent");

        JsonNode poll = admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null).json();
        assertThat(poll.get("status").asText()).as(poll.toString()).isEqualTo("ok");
        admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);

        JsonNode messages = admin.get("/api/messages?mailbox_id=" + mailbox).json();
        assertThat(messages.get("total").asLong()).as(messages.toString()).isEqualTo(1);
        JsonNode stored = admin.get("/api/messages/" + id).json();
        assertThat(stored.get("direction").asText()).isEqualTo("outbound");
        assertThat(stored.get("folder").asText()).isEqualTo("Sent");
        long validity = mailroom.mailroom().core().database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT uid_validity FROM messages WHERE id = ?").bind(0, id).mapTo(Long.class).one());
        assertThat(validity).as("the sync read the copy and found it to be the sent message").isEqualTo(7);
    }

    @Test
    void save_sent_off_copies_nothing_and_a_server_without_a_sent_folder_gives_up_without_failing_the_send() {
        long off = mailbox("lee@example.com", "Sent", false);
        long offId = send(off, "Not filed");

        long noSent = mailbox("max@example.com", "none", null);
        long noSentId = send(noSent, "Nowhere to file");
        await("giving up", () -> "failed".equals(delivery(noSentId).path("sent_copy").asText()));

        assertThat(delivery(noSentId).get("sent_copy_note").asText()).contains("no Sent folder");
        assertThat(admin.get("/api/messages/" + noSentId).json().get("status").asText()).isEqualTo("sent");
        assertThat(delivery(offId).get("sent_copy").isNull()).isTrue();
        assertThat(Files.exists(Path.of(System.getProperty("savetosent.dir"), Long.toString(off)))).isFalse();
    }
}
