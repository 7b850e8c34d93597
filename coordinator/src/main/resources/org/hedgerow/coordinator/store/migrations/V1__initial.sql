-- Hedgerow coordinator store, schema version 1. Portable SQL for SQLite and PostgreSQL: the only
-- dialect difference is the binary type, written ${BLOB} (BLOB on SQLite, BYTEA on PostgreSQL).
-- Times are epoch milliseconds; NULL in a DOUBLE PRECISION column stands for "not reported" (NaN).

-- The one federation this store belongs to (id is always 1) and where it stands.
CREATE TABLE federation (
  id INTEGER PRIMARY KEY,
  spec_hash TEXT NOT NULL,
  parameter_count INTEGER NOT NULL,
  target_rounds INTEGER NOT NULL,
  seed BIGINT NOT NULL,
  strategy TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  phase TEXT NOT NULL,
  round INTEGER NOT NULL,
  model_version INTEGER NOT NULL,
  finish_reason TEXT
);

-- One-time enrolment tokens (only their SHA-256) and the clients that redeemed them.
CREATE TABLE enrolment_tokens (
  token_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);

CREATE TABLE enrolled_clients (
  client_id TEXT PRIMARY KEY,
  certificate_fingerprint TEXT UNIQUE,
  bearer_token_hash TEXT UNIQUE,
  enrolled_at BIGINT NOT NULL,
  revoked_at BIGINT
);

-- Clients taking part in the federation's rounds.
CREATE TABLE participants (
  client_id TEXT PRIMARY KEY,
  silo TEXT NOT NULL,
  joined_at BIGINT NOT NULL,
  identity_key ${BLOB}
);

-- Every round that opened: state open, closed (new model) or aborted (no model change).
CREATE TABLE rounds (
  round INTEGER PRIMARY KEY,
  state TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  clients INTEGER,
  examples BIGINT,
  bytes_up BIGINT,
  bytes_down BIGINT,
  seconds DOUBLE PRECISION,
  aggregation_seconds DOUBLE PRECISION,
  client_train_seconds DOUBLE PRECISION,
  train_loss DOUBLE PRECISION,
  note TEXT
);

-- Accepted updates. The body is kept until the round closes; the row stays so that a retried
-- upload (same upload_id) is recognised for ever.
CREATE TABLE updates (
  round INTEGER NOT NULL,
  client_id TEXT NOT NULL,
  upload_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  trained_on_version INTEGER NOT NULL,
  examples BIGINT NOT NULL,
  body ${BLOB},
  train_seconds DOUBLE PRECISION,
  train_loss DOUBLE PRECISION,
  accepted_at BIGINT NOT NULL,
  dp_mechanism TEXT,
  dp_noise_multiplier DOUBLE PRECISION,
  dp_sample_rate DOUBLE PRECISION,
  dp_steps BIGINT,
  dp_epsilon DOUBLE PRECISION,
  dp_delta DOUBLE PRECISION,
  dp_cap DOUBLE PRECISION,
  PRIMARY KEY (round, client_id)
);

-- Global models (version 0 is the initial one) with the strategy's state after producing each.
CREATE TABLE model_versions (
  version INTEGER PRIMARY KEY,
  round INTEGER NOT NULL,
  parameters ${BLOB} NOT NULL,
  strategy_state ${BLOB} NOT NULL,
  created_at BIGINT NOT NULL
);

-- The privacy ledger of closed rounds: clients' reported spends and the coordinator's own.
CREATE TABLE spends (
  round INTEGER NOT NULL,
  source TEXT NOT NULL,
  holder TEXT NOT NULL,
  position INTEGER NOT NULL,
  mechanism TEXT NOT NULL,
  noise_multiplier DOUBLE PRECISION NOT NULL,
  sample_rate DOUBLE PRECISION NOT NULL,
  steps BIGINT NOT NULL,
  epsilon DOUBLE PRECISION NOT NULL,
  delta DOUBLE PRECISION NOT NULL,
  cap DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (round, source, holder)
);

CREATE TABLE declines (
  client_id TEXT PRIMARY KEY,
  round INTEGER NOT NULL,
  reason TEXT NOT NULL,
  epsilon DOUBLE PRECISION,
  cap DOUBLE PRECISION,
  declined_at BIGINT NOT NULL
);
