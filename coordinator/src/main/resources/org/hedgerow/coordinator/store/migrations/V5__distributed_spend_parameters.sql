-- Hedgerow coordinator store, schema version 5: a silo's round of distributed DP records every
-- parameter its accounting used (share variance, t, n, dimension, scale, learning rate, sensitivity,
-- tau, bits, ring), as the JSON object "distributed" of the spend's JSON form. NULL for every other spend.
ALTER TABLE silo_spends ADD COLUMN distributed TEXT;
