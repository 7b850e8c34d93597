-- Hedgerow coordinator store, schema version 4: an accepted update's body is kept once, in its round's
-- append-only body file in the store's body directory, and its row says where: offset, length and the
-- SHA-256 that proves the bytes intact. The body column stays for rows written before this version
-- (an open round's are moved into the file when the store opens); new rows leave it NULL.
ALTER TABLE updates ADD COLUMN body_offset BIGINT;
ALTER TABLE updates ADD COLUMN body_length INTEGER;
ALTER TABLE updates ADD COLUMN body_sha256 TEXT;
