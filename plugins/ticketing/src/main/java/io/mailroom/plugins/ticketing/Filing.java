package io.mailroom.plugins.ticketing;

/**
 * What the sink did with a message.
 *
 * @param decision {@code created}, {@code added}, {@code closed_reply}, {@code already_filed},
 *                 {@code duplicate} (the same mail, by Message-ID, is on a ticket already),
 *                 {@code review} or {@code dismissed}
 * @param ticket   the ticket, or null ({@code review}, {@code dismissed})
 * @param filed    this message as filed on the ticket (with what is still owed for it), or null
 *                 when it was not filed ({@code duplicate}, {@code review}, {@code dismissed})
 */
record Filing(String decision, Ticket ticket, TicketMessage filed) {

    static final String CREATED = "created";
    static final String ADDED = "added";
    static final String CLOSED_REPLY = "closed_reply";
    static final String ALREADY_FILED = "already_filed";
    static final String DUPLICATE = "duplicate";
    static final String REVIEW = "review";
    static final String DISMISSED = "dismissed";

    /** Whether the message stays in the inbox (no ticket has it). */
    boolean leftInInbox() {
        return ticket == null;
    }
}
