package io.mailroom.plugins.pop3;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.PermanentException;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.source.MailSource;
import io.mailroom.api.source.MailboxAccount;
import io.mailroom.api.source.SourceConnection;

import java.util.List;

/** The {@code pop3} mail source: one-folder mailboxes on POP3 servers that offer UIDL. */
public final class Pop3Source implements MailSource {

    static final List<SettingDescriptor> SETTINGS = List.of(
            SettingDescriptor.required("host", SettingType.STRING, "The POP3 server's host name."),
            SettingDescriptor.optional("port", SettingType.INTEGER, "995", "The POP3 port: 995 for ssl, 110 otherwise."),
            SettingDescriptor.choice("security", "ssl", List.of("ssl", "starttls", "none"),
                    "ssl (implicit TLS), starttls (STLS on a plain connection), or none (tests only)."),
            SettingDescriptor.required("username", SettingType.STRING, "The login name."),
            SettingDescriptor.optional("password", SettingType.STRING, null,
                    "The password; not needed when the mailbox uses OAuth.").asSecret(),
            SettingDescriptor.choice("server_copy", "keep", List.of("keep", "delete_after_import", "delete_after_days"),
                    "What happens to mail on the server after import."),
            SettingDescriptor.optional("delete_after_days", SettingType.INTEGER, "14",
                    "With delete_after_days: how long mail stays on the server."));

    @Override
    public String id() {
        return "pop3";
    }

    @Override
    public String name() {
        return "POP3";
    }

    @Override
    public List<SettingDescriptor> settings() {
        return SETTINGS;
    }

    @Override
    public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
        throw new PermanentException("POP3 connections are not implemented in this version");
    }
}
