-- claim-update: ?1 now (ms), ?2 lease_expires_at (ms), ?3 worker id, ?4 lease token, ?5 execution
--   id, ?6 task id. One claimed task: run once per task claim-select chose, in its transaction.
-- Re-checks the status so a row can only be claimed from a claimable status. Nothing else is
-- written at a claim: the attempt lives on the task row until it ends. Returns nothing: the
-- caller read the row (claim-select) in the same write transaction, and a RETURNING clause cost
-- SQLite more than the update itself.
-- A statement per row with bound parameters, not one over a JSON array: extracting each column
-- from JSON cost more than the row update itself (docs/project/benchmarks.md).
-- Only in the SQLite adapter: part of PostgreSQL's single claim statements.
UPDATE tasks SET
  status = 'running',
  attempt = attempt + 1,
  lease_token = ?4,
  execution_id = ?5,
  lease_expires_at = ?2,
  worker_id = ?3,
  started_at = ?1,
  updated_at = ?1,
  progress = NULL,
  progress_message = NULL,
  claimed_from = status,
  seq = seq + 1
WHERE id = ?6 AND status IN ('queued', 'retrying')
