-- Seed 002 (issue 17): a task may carry a human name, shown in lists and found by search; a
-- worker registered as an execution unit keeps what it declared. The same change as SQLite's
-- 0006. Adding nullable columns without a default rewrites no rows.
--
-- workers.unit_type: the unit's kind (seed 002's `unitType`), used to balance by type.
-- workers.endpoint: the http(s) URL a push unit takes its tasks at; NULL for a unit that pulls.
-- workers.metadata: JSON object the unit reports with each heartbeat (CPU, memory…).
-- workers.secret_hash: SHA-256 (hex) of the secret of a unit that chose its own id; NULL for a
--   worker whose id is derived from its secret, or an in-process worker.
-- workers.push_secret: the key the server signs a push unit's deliveries with (HMAC); NULL for a
--   unit that pulls.

ALTER TABLE tasks ADD COLUMN name text;
ALTER TABLE workers
  ADD COLUMN unit_type text COLLATE "C",
  ADD COLUMN endpoint text,
  ADD COLUMN metadata jsonb,
  ADD COLUMN secret_hash text COLLATE "C",
  ADD COLUMN push_secret text;
