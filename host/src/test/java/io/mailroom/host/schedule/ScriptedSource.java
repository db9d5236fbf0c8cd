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
 * A third party's source plugin for scheduling tests: a server with no folders that answers
 * after {@code delay_ms}, or refuses the connection when {@code mode} is {@code fail}.
 */
public final class ScriptedSource {

    private static final String SOURCE = """
            package sample.scripted;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;
            import java.util.List;

            public class Source implements MailSource {
                @Override public String id() { return "scripted"; }
                @Override public List<SettingDescriptor> settings() {
                    return List.of(
                        SettingDescriptor.choice("mode", "ok", List.of("ok", "fail"), "ok or fail"),
                        SettingDescriptor.optional("delay_ms", SettingType.INTEGER, "0", "answer after this"));
                }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    try {
                        Thread.sleep(account.settings().getLong("delay_ms"));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (account.settings().get("mode").equals("fail")) {
                        throw new TemporaryException("connection refused");
                    }
                    return new SourceConnection() {
                        @Override public List<String> capabilities() { return List.of(); }
                        @Override public List<FolderInfo> folders() { return List.of(); }
                        @Override public FolderReader open(String folder, SyncCursor cursor, FetchOptions options) {
                            throw new PermanentException("no folder " + folder);
                        }
                        @Override public void apply(String folder, long validity, List<PostAction> actions) { }
                        @Override public void close() { }
                    };
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
