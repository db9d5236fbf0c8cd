-- Mailboxes, their folders with the sync cursor, and everything synced from them.

CREATE TABLE mailboxes (
    id                    BIGSERIAL PRIMARY KEY,
    owner_user_id         BIGINT      REFERENCES users (id) ON DELETE CASCADE,
    name                  TEXT        NOT NULL,
    email                 TEXT        NOT NULL,
    source                TEXT        NOT NULL,
    auth                  TEXT        NOT NULL DEFAULT 'password',
    -- The source's validated settings; secret values are sealed (see host/secrets).
    settings              JSONB       NOT NULL DEFAULT '{}',
    folders               TEXT[]      NOT NULL DEFAULT '{INBOX}',
    first_sync_days       INT         NOT NULL DEFAULT 365,
    max_messages_per_poll INT         NOT NULL DEFAULT 500,
    unread_only           BOOLEAN     NOT NULL DEFAULT false,
    mark_as_read          BOOLEAN     NOT NULL DEFAULT false,
    move_processed_to     TEXT,
    enabled               BOOLEAN     NOT NULL DEFAULT true,
    status                TEXT        NOT NULL DEFAULT 'active',
    last_error            TEXT,
    last_sync_at          TIMESTAMPTZ,
    last_success_at       TIMESTAMPTZ,
    consecutive_failures  INT         NOT NULL DEFAULT 0,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX mailboxes_owner ON mailboxes (owner_user_id);

-- A folder on the server as last listed, and where its sync stands (the cursor).
CREATE TABLE mailbox_folders (
    mailbox_id        BIGINT  NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    name              TEXT    NOT NULL,
    attributes        TEXT[]  NOT NULL DEFAULT '{}',
    messages          BIGINT  NOT NULL DEFAULT -1,
    deleted_on_server BOOLEAN NOT NULL DEFAULT false,
    uid_validity      BIGINT  NOT NULL DEFAULT 0,
    last_uid          BIGINT  NOT NULL DEFAULT 0,
    highest_modseq    BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (mailbox_id, name)
);

-- Raw messages and attachment contents, stored once by their SHA-256.
CREATE TABLE blobs (
    sha256  TEXT   PRIMARY KEY,
    size    BIGINT NOT NULL,
    content BYTEA  NOT NULL
);

CREATE TABLE threads (
    id              BIGSERIAL PRIMARY KEY,
    mailbox_id      BIGINT      NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    subject         TEXT        NOT NULL DEFAULT '',
    subject_key     TEXT        NOT NULL DEFAULT '',
    participants    TEXT[]      NOT NULL DEFAULT '{}',
    message_count   INT         NOT NULL DEFAULT 0,
    last_message_at TIMESTAMPTZ
);
CREATE INDEX threads_by_subject ON threads (mailbox_id, subject_key, last_message_at);

-- A message is stored once per mailbox: once per server location (folder, UIDVALIDITY, UID or
-- UIDL), and once per content (the same bytes seen again elsewhere are the same message).
CREATE TABLE messages (
    id                BIGSERIAL PRIMARY KEY,
    mailbox_id        BIGINT      NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    folder            TEXT        NOT NULL,
    uid_validity      BIGINT      NOT NULL,
    server_key        TEXT        NOT NULL,
    uid               BIGINT,
    content_hash      TEXT        NOT NULL REFERENCES blobs (sha256),
    size              BIGINT      NOT NULL,
    message_id        TEXT,
    in_reply_to       TEXT,
    refs              TEXT[]      NOT NULL DEFAULT '{}',
    thread_id         BIGINT      REFERENCES threads (id) ON DELETE SET NULL,
    direction         TEXT        NOT NULL DEFAULT 'inbound',
    from_name         TEXT,
    from_email        TEXT,
    to_addresses      JSONB       NOT NULL DEFAULT '[]',
    cc_addresses      JSONB       NOT NULL DEFAULT '[]',
    subject           TEXT,
    sent_at           TIMESTAMPTZ,
    received_at       TIMESTAMPTZ,
    flags             TEXT[]      NOT NULL DEFAULT '{}',
    text_body         TEXT,
    html_body         TEXT,
    headers           JSONB       NOT NULL DEFAULT '{}',
    classification    TEXT        NOT NULL DEFAULT 'normal',
    status            TEXT        NOT NULL DEFAULT 'received',
    tags              TEXT[]      NOT NULL DEFAULT '{}',
    deleted_on_server BOOLEAN     NOT NULL DEFAULT false,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (mailbox_id, folder, uid_validity, server_key),
    UNIQUE (mailbox_id, content_hash)
);
CREATE INDEX messages_by_message_id ON messages (mailbox_id, message_id);
CREATE INDEX messages_by_in_reply_to ON messages (mailbox_id, in_reply_to);
CREATE INDEX messages_by_refs ON messages USING gin (refs);
CREATE INDEX messages_by_thread ON messages (thread_id, sent_at);

CREATE TABLE attachments (
    message_id   BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    index        INT    NOT NULL,
    filename     TEXT,
    content_type TEXT   NOT NULL,
    size         BIGINT NOT NULL,
    -- null when the attachment was over the size limit and only its metadata was kept
    sha256       TEXT   REFERENCES blobs (sha256),
    PRIMARY KEY (message_id, index)
);

-- Messages that could not be parsed or processed, with their raw bytes, until an admin retries them.
CREATE TABLE quarantine (
    id           BIGSERIAL PRIMARY KEY,
    mailbox_id   BIGINT      NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    folder       TEXT        NOT NULL,
    uid_validity BIGINT      NOT NULL,
    server_key   TEXT        NOT NULL,
    content_hash TEXT        NOT NULL REFERENCES blobs (sha256),
    size         BIGINT      NOT NULL,
    reason       TEXT        NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (mailbox_id, folder, uid_validity, server_key)
);

-- Server actions (mark seen, move, delete) decided in the transaction that stored the message,
-- carried out after it committed, and removed once done: a crash in between repeats them.
CREATE TABLE pending_actions (
    id           BIGSERIAL PRIMARY KEY,
    mailbox_id   BIGINT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    folder       TEXT   NOT NULL,
    uid_validity BIGINT NOT NULL,
    server_key   TEXT   NOT NULL,
    action       TEXT   NOT NULL CHECK (action IN ('seen', 'move', 'delete')),
    target       TEXT
);
CREATE INDEX pending_actions_by_mailbox ON pending_actions (mailbox_id, folder);

CREATE TABLE polls (
    id          BIGSERIAL PRIMARY KEY,
    mailbox_id  BIGINT      NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    status      TEXT        NOT NULL DEFAULT 'running',
    found       INT         NOT NULL DEFAULT 0,
    stored      INT         NOT NULL DEFAULT 0,
    skipped     INT         NOT NULL DEFAULT 0,
    quarantined INT         NOT NULL DEFAULT 0,
    error       TEXT,
    events      TEXT[]      NOT NULL DEFAULT '{}'
);
CREATE INDEX polls_by_mailbox ON polls (mailbox_id, id);
