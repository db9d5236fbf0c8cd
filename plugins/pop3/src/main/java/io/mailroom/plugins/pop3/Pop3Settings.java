package io.mailroom.plugins.pop3;

import io.mailroom.api.PermanentException;
import io.mailroom.api.Settings;

import java.time.Duration;

/**
 * A mailbox's POP3 settings, read once per connection from the host's validated values.
 *
 * @param host            the server's host name
 * @param port            its port
 * @param security        how the connection is protected
 * @param serverCopy      what happens to imported mail on the server
 * @param deleteAfterDays with {@link ServerCopy#DELETE_AFTER_DAYS}: how long imported mail stays
 */
record Pop3Settings(String host, int port, Security security, ServerCopy serverCopy, Duration deleteAfterDays) {

    /** How the connection is protected. */
    enum Security {
        /** Implicit TLS from the first byte (POP3S, usually port 995). */
        SSL,
        /** A plain connection upgraded with STLS before login; refused when the server cannot. */
        STARTTLS,
        /** No TLS: for tests and trusted networks only. */
        NONE
    }

    /** What happens to a message on the server once Mailroom has stored it. */
    enum ServerCopy {
        /** Leave every message on the server. */
        KEEP,
        /** Delete a message once the host has committed it. */
        DELETE_AFTER_IMPORT,
        /** Delete a stored message once its Date is older than {@code delete_after_days}. */
        DELETE_AFTER_DAYS
    }

    static Pop3Settings from(Settings settings) {
        String security = settings.find("security").orElse("ssl");
        String serverCopy = settings.find("server_copy").orElse("keep");
        long days = Long.parseLong(settings.find("delete_after_days").orElse("14"));
        if (days < 0) {
            throw new PermanentException("delete_after_days must be 0 or more, not " + days);
        }
        return new Pop3Settings(settings.get("host"), Integer.parseInt(settings.find("port").orElse("995")),
                Security.valueOf(security.toUpperCase(java.util.Locale.ROOT)),
                ServerCopy.valueOf(serverCopy.toUpperCase(java.util.Locale.ROOT)), Duration.ofDays(days));
    }

    /** {@code host:port}, for messages. */
    String address() {
        return host + ":" + port;
    }
}
