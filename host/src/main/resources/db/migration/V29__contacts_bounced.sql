-- When mail to a contact last bounced for good (an inbound DSN tied to an outbound message),
-- so that senders and plugins can see the address no longer takes mail.
ALTER TABLE contacts ADD COLUMN bounced_at TIMESTAMPTZ;
