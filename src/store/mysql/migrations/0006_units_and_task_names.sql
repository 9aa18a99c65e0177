-- Seed 002 (issue 17): a task may carry a human name, shown in lists and found by search; a
-- worker registered as an execution unit keeps what it declared. As PostgreSQL's 0006.
--
-- workers.unit_type: the unit's kind (seed 002's `unitType`), used to balance by type.
-- workers.endpoint: the http(s) URL a push unit takes its tasks at; NULL for a unit that pulls.
-- workers.metadata: JSON object the unit reports with each heartbeat (CPU, memory…).
-- workers.secret_hash: SHA-256 (hex) of the secret of a unit that chose its own id; NULL for a
--   worker whose id is derived from its secret, or an in-process worker.
-- workers.push_secret: the key the server signs a push unit's deliveries with (HMAC); NULL for a
--   unit that pulls.

ALTER TABLE tasks ADD COLUMN name TEXT;
ALTER TABLE workers
  ADD COLUMN unit_type VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  ADD COLUMN endpoint TEXT,
  ADD COLUMN metadata JSON,
  ADD COLUMN secret_hash VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  ADD COLUMN push_secret TEXT;
