package io.mailroom.api.mailbox;

import java.util.List;
import java.util.Optional;

/**
 * Read-only look-ups of the installation's mailboxes, for extensions that answer users (a plugin's
 * routes show a user the objects of their own mailboxes only). Thread-safe.
 */
public interface Mailboxes {

    Optional<MailboxInfo> find(long mailboxId);

    /** The ids of the mailboxes {@code userId} owns. */
    List<Long> ownedBy(long userId);
}
