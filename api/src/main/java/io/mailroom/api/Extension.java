package io.mailroom.api;

/**
 * What every extension has: a stable id and a name.
 *
 * <p>The id is the same string in configuration, database rows, logs and the HTTP API
 * ({@code imap}, {@code google}, {@code auto_reply}); it never changes once released.
 *
 * <p>Settings are declared by the extension points that have them, each named for its scope, since
 * the same word meant three things: {@link io.mailroom.api.source.MailSource#mailboxSettings()}
 * and {@link io.mailroom.api.sink.TicketSink#mailboxSettings()} (one set per mailbox),
 * {@link io.mailroom.api.oauth.OAuthProvider#installationSettings()} (one set per installation:
 * the client registration). The host validates an administrator's settings against the
 * declaration before it saves them, so an extension never sees an unknown or missing setting
 * at run time.
 *
 * <p>Lifecycle: the host creates one instance per extension class when the plugin starts and
 * drops it when the plugin stops. Instances are shared by all mailboxes and called from many
 * threads at once: keep per-mailbox state in the objects the extension returns, not in fields.
 */
public interface Extension {

    /** The stable id, lower case, {@code [a-z0-9_-]+}. */
    String id();

    /** A human name for admin pages; the id by default. */
    default String name() {
        return id();
    }
}
