-- Hedgerow coordinator store, schema version 6: the column that proves a stored body intact holds a
-- checksum named by its prefix ("crc32c:" and 8 hex digits) instead of a bare SHA-256; values written
-- by version 4 (64 hex digits, SHA-256) stay valid and are checked as such.
ALTER TABLE updates RENAME COLUMN body_sha256 TO body_checksum;
