-- The directory: companies (with the email domains that are theirs) and contacts. A domain
-- belongs to at most one company (its primary key); a contact's email is unique whatever its case.
CREATE TABLE companies (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE company_domains (
    domain     TEXT   PRIMARY KEY CHECK (domain = lower(domain)),
    company_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE
);
CREATE INDEX company_domains_by_company ON company_domains (company_id);

CREATE TABLE contacts (
    id         BIGSERIAL PRIMARY KEY,
    email      TEXT        NOT NULL,
    name       TEXT,
    company_id BIGINT REFERENCES companies (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX contacts_by_email ON contacts (lower(email));
CREATE INDEX contacts_by_company ON contacts (company_id, id);
