package io.mailroom.api;

import java.util.List;

/**
 * What every extension has: a stable id and the settings it accepts.
 *
 * <p>The id is the same string in configuration, database rows, logs and the HTTP API
 * ({@code imap}, {@code google}, {@code auto_reply}); it never changes once released. The
 * host validates an administrator's settings against {@link #settings()} before it saves them,
 * so an extension never sees an unknown or missing setting at run time.
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

    /** The settings this extension accepts, in the order forms should show them. */
    default List<SettingDescriptor> settings() {
        return List.of();
    }
}
