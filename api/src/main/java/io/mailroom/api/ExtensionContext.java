package io.mailroom.api;

import io.mailroom.api.source.ContentSpool;

import javax.net.SocketFactory;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What the host hands an extension: its services, scoped to the calling plugin. Extensions use
 * these instead of statics or their own clients, so tests can give them a fixed clock and the
 * host can apply its proxy, timeouts and logging.
 *
 * <p>Implementations are thread-safe. New services arrive as default methods.
 */
public interface ExtensionContext {

    /** The id of the plugin the extension belongs to. */
    String pluginId();

    /** The clock to read time from. */
    Clock clock();

    /** HTTP with the host's timeouts, proxy and logging. */
    HttpTransport http();

    /** A logger named for the extension; the host adds mailbox and stage to every line. */
    System.Logger logger(Class<?> type);

    /**
     * The sockets an extension opens every outbound TCP connection with (a mail server, any
     * protocol that is not {@link #http()}). The host's factory checks each address at the
     * moment a socket connects: an address the installation does not allow (loopback, private,
     * link-local, unique-local, multicast, unspecified, unless the operator allowed private
     * hosts) fails the connect with {@link AddressRefusedException}. Checking at connect time,
     * on the address actually used, is what defeats a name that resolves differently between a
     * check and the connect (DNS rebinding); so connect with these sockets, never with
     * {@code new Socket()}.
     *
     * <p>{@link SocketFactory#createSocket()} gives an unconnected socket that applies the
     * check when it connects, for libraries that connect themselves (Angus Mail's
     * {@code mail.imap.socketFactory}). Layer TLS on a connected socket with
     * {@link javax.net.ssl.SSLSocketFactory#createSocket(java.net.Socket, String, int, boolean)}.
     *
     * <p>The default, for contexts that are not the host's (tests), applies no rule.
     */
    default SocketFactory sockets() {
        return SocketFactory.getDefault();
    }

    /**
     * A directory for this plugin's temporary files, on the host's scratch space (under its
     * data directory). The host empties it at start-up, so nothing kept there survives a
     * restart; a plugin deletes what it no longer needs. Created by the host before it is handed
     * out.
     *
     * <p>The default, for contexts that are not the host's (tests), is the JVM's temp directory.
     */
    default Path scratchDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Where a {@link io.mailroom.api.source.MailSource} puts the bytes of the messages it reads:
     * small ones in memory, large ones in files on the host's scratch space. The host owns the
     * content it hands out and deletes the files once a batch is committed or has failed, so
     * the source manages no files and the content outlives
     * {@link io.mailroom.api.source.FolderReader#next}.
     *
     * <p>The default, for contexts that are not the host's (tests), spools to
     * {@link #scratchDirectory()}.
     */
    default ContentSpool spool() {
        return new ContentSpool(scratchDirectory(), ContentSpool.DEFAULT_MEMORY_LIMIT);
    }

    /**
     * Sends mail from a mailbox through the host's outbox (rule actions, ticket sinks): queued and
     * committed on return, delivered by the host with retries and the mailbox's rate limit. The
     * default, for contexts that are not the host's (tests) or that offer no sending, refuses.
     */
    default io.mailroom.api.outbound.OutboundMail outboundMail() {
        return mail -> {
            throw new UnsupportedOperationException("this context offers no outbound mail");
        };
    }

    /**
     * The installation's companies and contacts: look a sender up, create a contact. The default,
     * for contexts that are not the host's (tests) or that offer no directory, refuses.
     */
    default io.mailroom.api.directory.Directory directory() {
        throw new UnsupportedOperationException("this context offers no directory");
    }

    /**
     * The plugin's own database: connections whose {@code search_path} is the plugin's schema,
     * created and migrated by the host from the plugin's {@code db/plugins/<plugin id>/}
     * migrations (Flyway naming, its own history table) before any of its extensions is called.
     * Close each connection after use. The default, for contexts that are not the host's or a
     * plugin without migrations, refuses.
     */
    default javax.sql.DataSource database() {
        throw new UnsupportedOperationException("this context offers no database");
    }

    /** The installation's mailboxes, read-only. The default, for contexts that are not the host's, refuses. */
    default io.mailroom.api.mailbox.Mailboxes mailboxes() {
        throw new UnsupportedOperationException("this context offers no mailboxes");
    }

    /** Notifications for users. The default, for contexts that are not the host's, refuses. */
    default io.mailroom.api.mailbox.Notifier notifier() {
        throw new UnsupportedOperationException("this context offers no notifications");
    }

    /** The installation's mail templates. The default, for contexts that are not the host's, refuses. */
    default io.mailroom.api.outbound.Templates templates() {
        throw new UnsupportedOperationException("this context offers no templates");
    }
}
