package io.mailroom.host.mailboxes;

/**
 * Told, after the commit, that a mailbox was created, changed or deleted, so that what follows
 * the mailboxes on this node (the push watches) catches up at once instead of at its next
 * round. The caller is an API request: an implementation answers quickly and never throws.
 */
@FunctionalInterface
public interface MailboxChanges {

    void changed(long mailboxId);
}
