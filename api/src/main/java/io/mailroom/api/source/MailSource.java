package io.mailroom.api.source;

import io.mailroom.api.Extension;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.SettingDescriptor;

import java.util.List;

/**
 * A mail protocol Mailroom can read from ({@code imap}, {@code pop3}).
 *
 * <p>Lifecycle: the pipeline calls {@link #connect} once per sync run (and the test endpoint
 * once per test), reads folders through the returned {@link SourceConnection}, and closes it.
 * A connection is used by one thread at a time; different mailboxes connect in parallel, so the
 * source itself must be stateless.
 *
 * <p>Failures: throw {@link io.mailroom.api.AuthenticationFailedException} when the server
 * refuses the credentials, {@link io.mailroom.api.TemporaryException} for network trouble, and
 * {@link io.mailroom.api.PermanentException} for a configuration the server can never accept
 * (for example a POP3 server without UIDL). The host owns retries, back-off and logging.
 */
public interface MailSource extends Extension {

    /**
     * The settings of one mailbox read with this source (host, port, security…), in the order
     * forms should show them; they arrive as {@link MailboxAccount#settings()}.
     */
    default List<SettingDescriptor> mailboxSettings() {
        return List.of();
    }

    /** Connects and logs in. The caller closes the connection. */
    SourceConnection connect(MailboxAccount account, ExtensionContext context);
}
