-- The metrics count the outbound mail and the webhook deliveries that were given up, at every
-- scrape: partial indexes keep that a read of the failed rows, not of every row ever sent.
CREATE INDEX outbox_failed ON outbox (mailbox_id) WHERE state = 'failed';
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (mailbox_id) WHERE status = 'failed';
