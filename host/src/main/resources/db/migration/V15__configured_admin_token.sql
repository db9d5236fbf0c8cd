-- A token that came from MAILROOM_ADMIN_TOKEN: when that setting changes, the old one is revoked.
-- Before this column such tokens were recognised by their name only.
ALTER TABLE api_tokens ADD COLUMN from_config BOOLEAN NOT NULL DEFAULT false;
UPDATE api_tokens SET from_config = true WHERE name = 'MAILROOM_ADMIN_TOKEN';
