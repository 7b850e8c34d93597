-- Hedgerow coordinator store, schema version 3: each accepted update keeps a SHA-256 of its body and
-- headers, so that a retry with the same upload id but other bytes is refused (409) even after a
-- restart. Rows written before this version have NULL: their retries are recognised by id alone.
ALTER TABLE updates ADD COLUMN upload_hash TEXT;
