-- People who use the API, and their bearer tokens (stored as SHA-256 hashes, never in clear).
CREATE TABLE users (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT        NOT NULL,
    email        TEXT        NOT NULL,
    role         TEXT        NOT NULL CHECK (role IN ('superadmin', 'user')),
    capabilities TEXT[]      NOT NULL DEFAULT '{}',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT        NOT NULL,
    token_hash   TEXT        NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);
