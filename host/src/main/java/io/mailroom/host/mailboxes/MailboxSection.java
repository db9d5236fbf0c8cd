package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A part of the mailbox resource that another feature keeps in its own table ({@code smtp}):
 * checked before a create or update touches anything (a 400 names {@code <name>.<field>}), saved
 * after it, shown with the mailbox. {@code given} is the JSON as sent; a JSON {@code null}
 * removes the part.
 */
public interface MailboxSection {

    /** The field of the mailbox resource, e.g. {@code smtp}. */
    String name();

    /** Refuses what cannot be saved, as a 400 naming the field. */
    void check(JsonNode given);

    void save(Mailbox mailbox, JsonNode given);

    /** What the API shows, secrets left out; null when the mailbox has none. */
    Object show(Mailbox mailbox);
}
