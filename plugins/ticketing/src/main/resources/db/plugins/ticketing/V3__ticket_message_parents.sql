-- The Message-IDs an inbound message answers (In-Reply-To and its last References), so that a
-- parent processed after its reply finds the ticket the reply opened.
ALTER TABLE ticket_messages ADD COLUMN parent_headers text[] NOT NULL DEFAULT '{}';
CREATE INDEX ticket_messages_parents ON ticket_messages USING gin (parent_headers);
