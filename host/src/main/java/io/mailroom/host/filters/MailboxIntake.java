package io.mailroom.host.filters;

/**
 * What a mailbox takes: {@code filterQuery} (JSON text, or null for all mail), then
 * {@code syncKnownOnly} (the sender is a user or a contact), then {@code contactsOnly} (from or
 * to a contact). A message must pass all three to be stored.
 */
public record MailboxIntake(long mailboxId, String filterQuery, boolean syncKnownOnly, boolean contactsOnly) {

    /** Whether anything is checked at all; when not, a sync takes every message as before. */
    public boolean takesAll() {
        return filterQuery == null && !syncKnownOnly && !contactsOnly;
    }
}
