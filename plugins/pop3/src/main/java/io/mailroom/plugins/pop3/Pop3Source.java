package io.mailroom.plugins.pop3;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.source.MailSource;
import io.mailroom.api.source.MailboxAccount;
import io.mailroom.api.source.SourceConnection;

import javax.net.ssl.SSLSocketFactory;
import java.time.Duration;
import java.util.List;

/**
 * The {@code pop3} mail source: one-folder mailboxes on POP3 servers that offer UIDL.
 *
 * <p>POP3 keeps no ids that survive but UIDL, so the host's set of stored UIDLs is the cursor:
 * every listed message whose UIDL is not stored is read, once, wherever it sits in the listing.
 * A server without UIDL is refused at connect time ({@link io.mailroom.api.PermanentException}),
 * never read by message number. The plugin speaks POP3 itself, on {@code java.base} alone, so it
 * can pipeline (RFC 2449 PIPELINING: one round trip for a window of TOP or RETR commands) and
 * stream large messages to disk.
 */
public final class Pop3Source implements MailSource {

    static final List<SettingDescriptor> SETTINGS = List.of(
            SettingDescriptor.required("host", SettingType.STRING, "The POP3 server's host name."),
            SettingDescriptor.integer("port", 995, 1, 65535,
                    "The POP3 port: 995 with security ssl; usually 110 with starttls or none."),
            SettingDescriptor.choice("security", "ssl", List.of("ssl", "starttls", "none"),
                    "ssl (implicit TLS, POP3S), starttls (STLS before login; refused if the server cannot), "
                            + "or none (unencrypted: tests and trusted networks only)."),
            SettingDescriptor.required("username", SettingType.STRING, "The login name."),
            SettingDescriptor.optional("password", SettingType.STRING, null,
                    "The password; not needed when the mailbox uses OAuth (XOAUTH2).").asSecret(),
            SettingDescriptor.choice("server_copy", "keep", List.of("keep", "delete_after_import", "delete_after_days"),
                    "What happens to mail on the server after import: keep it; delete it once stored "
                            + "(never before); or delete stored mail whose Date is older than delete_after_days."),
            SettingDescriptor.integer("delete_after_days", 14, 0, 36_500,
                    "With server_copy delete_after_days: how many days stored mail stays on the server, by its Date header."));

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SSLSocketFactory tls;
    private final Duration timeout;

    public Pop3Source() {
        this(null, TIMEOUT);
    }

    /**
     * For tests: a TLS factory that trusts a test server ({@code null}: the JVM's default trust),
     * and the connect and read timeout.
     */
    Pop3Source(SSLSocketFactory tls, Duration timeout) {
        this.tls = tls;
        this.timeout = timeout;
    }

    @Override
    public String id() {
        return "pop3";
    }

    @Override
    public String name() {
        return "POP3";
    }

    @Override
    public List<SettingDescriptor> mailboxSettings() {
        return SETTINGS;
    }

    @Override
    public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
        Pop3Settings settings = Pop3Settings.from(account.settings());
        System.Logger log = context.logger(Pop3Source.class);
        SSLSocketFactory factory = tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
        Pop3Session first = Pop3Session.start(settings, account.credential(), context.sockets(), factory, timeout, log);
        return new Pop3Connection(first,
                () -> Pop3Session.start(settings, account.credential(), context.sockets(), factory, timeout, log),
                (session, options) -> Pop3FolderReader.open(session, settings, options, context.clock(),
                        context.spool(), log),
                context.spool(), log);
    }
}
