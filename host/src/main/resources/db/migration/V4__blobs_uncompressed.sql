-- Raw messages and attachments are mostly base64 of already compressed data: PostgreSQL's
-- TOAST compression costs CPU on every write and gains little. Store them out of line, as they are.
ALTER TABLE blobs ALTER COLUMN content SET STORAGE EXTERNAL;
