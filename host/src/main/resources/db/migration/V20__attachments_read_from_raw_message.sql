-- An attachment is no longer stored a second time, decoded, as a blob of its own: its row records
-- where it is in the stored raw message (its MIME part, numbered as IMAP does: "2.1"), and a
-- download reads it from there again. sha256 stays the hash of the decoded bytes, so it no longer
-- names a blob for these rows; rows written before keep part NULL and their blob.
ALTER TABLE attachments ADD COLUMN part TEXT;
ALTER TABLE attachments DROP CONSTRAINT IF EXISTS attachments_sha256_fkey;
