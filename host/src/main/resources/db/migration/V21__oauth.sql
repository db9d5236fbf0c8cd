-- OAuth 2.0: providers' installation settings, authorization states, and mailboxes' grants.

-- What an admin set through PUT /api/oauth/providers/{id}: it overrides the configuration
-- (mailroom.oauth.<id>.<setting>). Secret values are sealed for 'oauth-provider:<id>'.
CREATE TABLE oauth_providers (
    id         TEXT PRIMARY KEY,
    enabled    BOOLEAN     NOT NULL DEFAULT TRUE,
    settings   JSONB       NOT NULL DEFAULT '{}',
    -- why the last check of the client credentials failed; null when it passed or never ran
    reason     TEXT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per authorization under way: single use (deleted when the callback reads it),
-- bound to the user, the mailbox (null: the callback creates one) and the provider.
CREATE TABLE oauth_states (
    id            TEXT PRIMARY KEY,
    user_id       BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mailbox_id    BIGINT      REFERENCES mailboxes (id) ON DELETE CASCADE,
    provider      TEXT        NOT NULL,
    protocol      TEXT        NOT NULL,
    -- the PKCE verifier, sealed for 'oauth-state:<id>'
    code_verifier TEXT        NOT NULL,
    -- SHA-256 of the nonce in the cookie of the browser that started the authorization
    browser_hash  TEXT        NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);

-- A mailbox's tokens, sealed for 'mailbox:<id>' with the names access_token and refresh_token.
-- The row is locked (SELECT … FOR UPDATE) while its tokens are refreshed, so one node refreshes
-- and the others wait and read the result.
CREATE TABLE oauth_grants (
    mailbox_id       BIGINT PRIMARY KEY REFERENCES mailboxes (id) ON DELETE CASCADE,
    provider         TEXT        NOT NULL,
    -- the account that authorized; for a shared mailbox not the login name
    account          TEXT,
    access_token     TEXT        NOT NULL,
    refresh_token    TEXT,
    expires_at       TIMESTAMPTZ NOT NULL,
    scope            TEXT,
    refreshed_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- a temporary refresh failure: not tried again before this
    retry_after      TIMESTAMPTZ,
    failures         INT         NOT NULL DEFAULT 0
);
