package io.mailroom.api;

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
}
