package io.mailroom.plugins.imap;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.source.MailSource;
import io.mailroom.api.source.MailboxAccount;
import io.mailroom.api.source.SourceConnection;

import java.util.List;

/** The {@code imap} mail source: mailboxes on any IMAP4rev1 server. */
public final class ImapSource implements MailSource {

    static final List<SettingDescriptor> SETTINGS = List.of(
            SettingDescriptor.required("host", SettingType.STRING, "The IMAP server's host name."),
            SettingDescriptor.integer("port", 993, 1, 65535, "The IMAP port: 993 for ssl, 143 otherwise."),
            SettingDescriptor.choice("security", "ssl", List.of("ssl", "starttls", "none"),
                    "ssl (implicit TLS), starttls (upgrade a plain connection), or none (tests only)."),
            SettingDescriptor.required("username", SettingType.STRING, "The login name, often the address."),
            SettingDescriptor.optional("password", SettingType.STRING, null,
                    "The password; not needed when the mailbox uses OAuth.").asSecret());

    @Override
    public String id() {
        return "imap";
    }

    @Override
    public String name() {
        return "IMAP";
    }

    @Override
    public List<SettingDescriptor> mailboxSettings() {
        return SETTINGS;
    }

    private final long chunkedAbove;

    public ImapSource() {
        this(MessageFetch.CHUNKED_ABOVE);
    }

    /** Fetches messages larger than {@code chunkedAbove} bytes chunk by chunk into the host's spool. */
    ImapSource(long chunkedAbove) {
        this.chunkedAbove = chunkedAbove;
    }

    @Override
    public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
        String server = account.settings().find("host").orElse("?") + ":" + account.settings().find("port").orElse("?");
        return ImapCall.run("connecting to " + server, () -> {
            ConnectionSockets sockets = new ConnectionSockets(context.sockets());
            return new ImapConnection(ImapLogin.connect(account, sockets), sockets, context.spool(), chunkedAbove);
        });
    }
}
