-- Tickets, the messages filed on them, and mail from unknown senders left for review.
-- Run by the host in the plugin's own schema (plugin_ticketing); names are unqualified.

-- The n of a reference <prefix>-<n>: one counter for every mailbox, so a number is never reused.
CREATE SEQUENCE ticket_number;

CREATE TABLE tickets (
    id              bigserial PRIMARY KEY,
    ref             text        NOT NULL UNIQUE,
    mailbox_id      bigint      NOT NULL,
    subject         text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('open', 'closed')),
    contact_id      bigint,
    company_id      bigint,
    requester_email text,
    requester_name  text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    closed_at       timestamptz
);
CREATE INDEX tickets_mailbox ON tickets (mailbox_id, id);
CREATE INDEX tickets_company ON tickets (company_id) WHERE company_id IS NOT NULL;
CREATE INDEX tickets_contact ON tickets (contact_id) WHERE contact_id IS NOT NULL;

-- message_id: Mailroom's stored message (MessageView.id, or the id OutboundMail.send returned).
-- message_id_header: the Message-ID, without angle brackets, so a reply's In-Reply-To or
-- References finds the ticket, and the same mail in a second folder is recognised.
-- followup: a mail or notification still owed for this message (done after the commit, cleared
-- once sent), so a redelivery after a crash finishes it, and a finished one is never repeated.
CREATE TABLE ticket_messages (
    id                bigserial PRIMARY KEY,
    ticket_id         bigint      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    mailbox_id        bigint      NOT NULL,
    message_id        bigint,
    message_id_header text,
    direction         text        NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    followup          text CHECK (followup IN ('acknowledge', 'closed_response')),
    created_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX ticket_messages_message ON ticket_messages (message_id);
CREATE UNIQUE INDEX ticket_messages_header ON ticket_messages (mailbox_id, message_id_header);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);

-- Mail whose sender is unknown, with no ticket made for it: what creating one later needs, and
-- the mailbox's sink settings at the time (the prefix, whether to acknowledge).
CREATE TABLE review_items (
    message_id        bigint      PRIMARY KEY,
    mailbox_id        bigint      NOT NULL,
    message_id_header text,
    from_email        text        NOT NULL,
    from_name         text        NOT NULL,
    subject           text        NOT NULL,
    received_at       timestamptz NOT NULL,
    state             text        NOT NULL CHECK (state IN ('pending', 'created', 'dismissed')),
    ref_prefix        text        NOT NULL,
    acknowledge       boolean     NOT NULL,
    ack_template_id   bigint,
    ticket_id         bigint REFERENCES tickets (id) ON DELETE SET NULL,
    decided_at        timestamptz
);
CREATE UNIQUE INDEX review_items_header ON review_items (mailbox_id, message_id_header);
CREATE INDEX review_items_pending ON review_items (mailbox_id, message_id) WHERE state = 'pending';
