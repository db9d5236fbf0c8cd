package io.mailroom.host.config;

/**
 * The bounds of a mailbox's batch size, {@code max_messages_per_poll}: one definition for the
 * mailbox field and for its installation-wide default {@code mailroom.max.emails.per.poll}, so
 * a default the field would refuse cannot start.
 */
public final class MessagesPerPoll {

    public static final int MIN = 1;
    /** A batch is one transaction and is held in memory while it is stored. */
    public static final int MAX = 10_000;

    private MessagesPerPoll() {
    }
}
