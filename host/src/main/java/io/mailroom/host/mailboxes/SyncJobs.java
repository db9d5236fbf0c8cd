package io.mailroom.host.mailboxes;

/**
 * Keeps a mailbox's sync job in step with its row. {@link Mailboxes} calls it inside the
 * transaction that writes the row, so a refused call rolls the row back: the row and its job
 * commit together or not at all.
 */
public interface SyncJobs {

    /** Nothing to keep in step: a command that works without the scheduler; {@code serve} reconciles on start. */
    SyncJobs NONE = new SyncJobs() {
        @Override
        public void update(Mailbox mailbox) {
        }

        @Override
        public void remove(long mailboxId) {
        }
    };

    /** Creates, replaces or removes the mailbox's job to match the mailbox. */
    void update(Mailbox mailbox);

    /** Removes the mailbox's job, if it has one. */
    void remove(long mailboxId);
}
