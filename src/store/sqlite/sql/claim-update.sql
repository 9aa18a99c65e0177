-- claim-update: ?1 now (ms), ?2 lease_expires_at (ms), ?3 worker id, ?4 lease token, ?5 execution
--   id, ?6 task id. One claimed task: run once per task claim-select chose, in its transaction.
-- Re-checks the status so a row can only be claimed from a claimable status. Nothing else is
-- written at a claim: the attempt lives on the task row until it ends. Returns what a claimed
-- task carries, with the status it was claimed from.
-- A statement per row with bound parameters, not one over a JSON array: extracting each column
-- from JSON cost more than the row update itself (docs/benchmarks.md).
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
RETURNING id, type, queue, priority, status, input, output, error, attempt, max_attempts,
  progress, progress_message, idempotency_key, run_at, created_at, updated_at, started_at,
  finished_at, worker_id, lease_token, lease_expires_at, execution_id, cancel_requested,
  crash_count, claimed_from
