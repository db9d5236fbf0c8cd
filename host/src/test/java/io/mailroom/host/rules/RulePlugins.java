package io.mailroom.host.rules;

import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.TestPluginSources;
import io.mailroom.testkit.PluginJarBuilder;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real plugin jars for the rule tests over HTTP: a mail source to make mailboxes with, a
 * third party's operator ({@code length_is}) and two rule actions ({@code notify} with a secret
 * {@code key}, {@code label}); and a way to store a message as a sync would have.
 */
final class RulePlugins {

    static final String SOURCE = """
            package sample.box;

            import io.mailroom.api.ExtensionContext;
            import io.mailroom.api.source.MailSource;
            import io.mailroom.api.source.MailboxAccount;
            import io.mailroom.api.source.SourceConnection;

            public class Source implements MailSource {
                @Override public String id() { return "box"; }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    throw new UnsupportedOperationException("a sample");
                }
            }
            """;


    static final String NOTIFY = """
            package sample.acts;

            import io.mailroom.api.ExtensionContext;
            import io.mailroom.api.InvalidSettingException;
            import io.mailroom.api.Outcome;
            import io.mailroom.api.SettingDescriptor;
            import io.mailroom.api.SettingType;
            import io.mailroom.api.Settings;
            import io.mailroom.api.rule.ActionCall;
            import io.mailroom.api.rule.RuleAction;
            import java.util.List;

            public class Notify implements RuleAction {
                @Override public String id() { return "notify"; }
                @Override public List<SettingDescriptor> dataSettings() {
                    return List.of(SettingDescriptor.required("to", SettingType.LIST, "who gets the note"),
                            SettingDescriptor.required("text", SettingType.STRING, "the note"),
                            SettingDescriptor.optional("key", SettingType.STRING, null, "a signing key").asSecret(),
                            SettingDescriptor.integer("copies", 1, 0, 5, "how many"));
                }
                @Override public void checkData(Settings data) {
                    for (String to : data.getList("to")) {
                        if (to.indexOf('@') < 0) throw new InvalidSettingException("to", "\\"" + to + "\\" is not an address");
                    }
                    if (data.get("text").contains("forbidden")) throw new InvalidSettingException("text", "text may not say forbidden");
                }
                @Override public boolean sendsMail() { return true; }
                @Override public Outcome run(ActionCall call, ExtensionContext context) {
                    throw new IllegalStateException("a preview must not run an action");
                }
            }
            """;

    static final String LABEL = """
            package sample.acts;

            import io.mailroom.api.ExtensionContext;
            import io.mailroom.api.Outcome;
            import io.mailroom.api.SettingDescriptor;
            import io.mailroom.api.SettingType;
            import io.mailroom.api.rule.ActionCall;
            import io.mailroom.api.rule.RuleAction;
            import java.util.List;

            public class Label implements RuleAction {
                @Override public String id() { return "label"; }
                @Override public List<SettingDescriptor> dataSettings() {
                    return List.of(SettingDescriptor.required("tag", SettingType.STRING, "the tag"));
                }
                @Override public Outcome run(ActionCall call, ExtensionContext context) {
                    throw new IllegalStateException("a preview must not run an action");
                }
            }
            """;

    private RulePlugins() {
    }

    /** Builds the three plugins into {@code dir/plugins} and starts Mailroom on {@code dir}. */
    static TestMailroom start(Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJarBuilder.plugin("box").source("sample.box.Source", SOURCE).service(MailSource.class, "sample.box.Source")
                .buildJar(plugins);
        PluginJarBuilder.plugin("ops").source("sample.ops.LengthIs", TestPluginSources.LENGTH_IS)
                .service(FilterOperator.class, "sample.ops.LengthIs").buildJar(plugins);
        PluginJarBuilder.plugin("acts").source("sample.acts.Notify", NOTIFY).source("sample.acts.Label", LABEL)
                .service(RuleAction.class, "sample.acts.Notify", "sample.acts.Label").buildJar(plugins);
        return TestMailroom.start(dir);
    }

    /** Stores a message ({@code raw} starts with {@code From: }) in a mailbox's INBOX, as a sync would. */
    static void store(Jdbi jdbi, long mailbox, String key, String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        String hash = "test-" + mailbox + "-" + key;
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?)", hash, bytes.length, bytes);
            handle.execute("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, size, subject, "
                            + "from_email) VALUES (?, 'INBOX', 1, ?, ?, ?, ?, ?)", mailbox, key, hash, bytes.length,
                    raw.substring(raw.indexOf("Subject: ") + 9, raw.indexOf("\r\n\r\n")),
                    raw.substring(6, raw.indexOf("\r\n")));
        });
    }
}
