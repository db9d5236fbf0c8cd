-- The sample plugin's own table, in its own schema (plugin_notes): unqualified names land there.
CREATE TABLE note (
    id       BIGSERIAL PRIMARY KEY,
    owner_id BIGINT NOT NULL,
    text     TEXT   NOT NULL
);
