package io.mailroom.host.schedule;

import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.testkit.PluginJarBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third party's source plugin for scheduling tests: a server that answers after
 * {@code delay_ms}, or refuses the connection when {@code mode} is {@code fail}; with no folders,
 * or with {@code messages} small messages in INBOX, each batch taking {@code batch_delay_ms}.
 */
public final class ScriptedSource {

    private static final String SOURCE = """
            package sample.scripted;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;
            import java.nio.charset.StandardCharsets;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.Set;

            public class Source implements MailSource {
                @Override public String id() { return "scripted"; }
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(
                        SettingDescriptor.choice("mode", "ok", List.of("ok", "fail"), "ok or fail"),
                        SettingDescriptor.optional("delay_ms", SettingType.INTEGER, "0", "answer after this"),
                        SettingDescriptor.optional("messages", SettingType.INTEGER, "0", "messages in INBOX; 0: no folders"),
                        SettingDescriptor.optional("batch_delay_ms", SettingType.INTEGER, "0", "each batch takes this"));
                }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    sleep(account.settings().getLong("delay_ms"));
                    if (account.settings().get("mode").equals("fail")) {
                        throw new TemporaryException("connection refused");
                    }
                    long messages = account.settings().getLong("messages");
                    long batchDelay = account.settings().getLong("batch_delay_ms");
                    return new SourceConnection() {
                        @Override public List<String> capabilities() { return List.of(); }
                        @Override public List<FolderInfo> folders() {
                            return messages == 0 ? List.of() : List.of(new FolderInfo("INBOX", Set.of(), messages));
                        }
                        @Override public FolderReader open(String folder, SyncCursor cursor, FetchOptions options) {
                            if (messages == 0 || !folder.equals("INBOX")) {
                                throw new PermanentException("no folder " + folder);
                            }
                            return new Inbox(messages, batchDelay, cursor.validity() == 1 ? cursor.lastUid() : 0);
                        }
                        @Override public void apply(String folder, long validity, List<PostAction> actions) { }
                        @Override public void close() { }
                    };
                }

                static void sleep(long millis) {
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                /** Messages 1..messages, each batch read slowly. */
                static final class Inbox implements FolderReader {
                    private final long messages;
                    private final long batchDelay;
                    private long examined;

                    Inbox(long messages, long batchDelay, long examined) {
                        this.messages = messages;
                        this.batchDelay = batchDelay;
                        this.examined = examined;
                    }

                    @Override public SyncCursor serverCursor() { return new SyncCursor(1, messages, 0); }
                    @Override public long remaining() { return messages - examined; }
                    @Override public FolderBatch next(int maxMessages, long maxBytes) {
                        List<RawMessage> batch = new ArrayList<>();
                        if (examined < messages) {
                            sleep(batchDelay);
                        }
                        while (batch.size() < maxMessages && examined < messages) {
                            examined++;
                            String mail = "Message-ID: <" + examined + "@scripted.example>\\r\\nFrom: ann@example.com\\r\\n"
                                    + "Subject: Message " + examined + "\\r\\n\\r\\nbody " + examined + "\\r\\n";
                            batch.add(new RawMessage(Long.toString(examined), examined, null, Set.of(),
                                    RawContent.of(mail.getBytes(StandardCharsets.UTF_8))));
                        }
                        return new FolderBatch(batch, new SyncCursor(1, examined, 0));
                    }
                    @Override public void close() { }
                }
            }
            """;

    private ScriptedSource() {
    }

    /** Builds the plugin into {@code <dir>/plugins}, where TestMailroom looks. */
    public static void install(Path dir) {
        try {
            PluginJarBuilder.plugin("scripted").source("sample.scripted.Source", SOURCE)
                    .service(MailSource.class, "sample.scripted.Source")
                    .buildJar(Files.createDirectories(dir.resolve("plugins")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A mailbox on this source; {@code schedule} may be null. */
    public static Map<String, Object> mailbox(String email, String mode, String schedule) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", email);
        body.put("email", email);
        body.put("source", "scripted");
        body.put("settings", Map.of("mode", mode));
        if (schedule != null) {
            body.put("schedule", schedule);
        }
        return body;
    }

    public static long create(ApiClient client, Map<String, Object> body) {
        Reply reply = client.post("/api/mailboxes", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asLong();
    }
}
