-- Hedgerow coordinator store, schema version 2: silos' signed spends (POST /v1/spends), recorded as
-- they arrive, and the fields the ledger now carries. Portable SQL for SQLite and PostgreSQL.

-- A silo's signed spends, one row per (holder, counter): the holder's own log as it reported it.
-- ledger_sequence orders these and the coordinator's own spends (table spends) into one ledger.
CREATE TABLE silo_spends (
  holder TEXT NOT NULL,
  counter BIGINT NOT NULL,
  round INTEGER NOT NULL,
  mechanism TEXT NOT NULL,
  noise_multiplier DOUBLE PRECISION NOT NULL,
  clip_norm DOUBLE PRECISION NOT NULL,
  sample_rate DOUBLE PRECISION NOT NULL,
  steps BIGINT NOT NULL,
  epsilon DOUBLE PRECISION NOT NULL,
  delta DOUBLE PRECISION NOT NULL,
  cap DOUBLE PRECISION NOT NULL,
  public_key ${BLOB} NOT NULL,
  signature ${BLOB} NOT NULL,
  ledger_sequence BIGINT NOT NULL UNIQUE,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (holder, counter)
);

-- The coordinator's own spends (central DP) keep their clip norm, counter and place in the ledger.
-- Rows written by version 1 leave them NULL (clip norm 1, counters by position, before every newer row).
ALTER TABLE spends ADD COLUMN clip_norm DOUBLE PRECISION;
ALTER TABLE spends ADD COLUMN counter BIGINT;
ALTER TABLE spends ADD COLUMN ledger_sequence BIGINT;
