-- settle-update: ?1 now (ms), ?2 task id, ?3 lease token, ?4 status to, ?5 1 to write the output
--   (else keep it), ?6 output (JSON text), ?7 1 to write the error, ?8 error (JSON text or null),
--   ?9 run_at or null (keep), ?10 refund 0/1, ?11 crashed 0/1, ?12 only-if-expired 0/1,
--   ?13 terminal 0/1, ?14 outcome, ?15 reason, ?16 metrics (JSON text or null), ?17 worker id
--   (who settles), ?18 unstarted 0/1 (the claim is undone: status, attempt, crash count and
--   entry number go back).
-- One attempt: run once per settlement, in order, in the caller's transaction. Only the current
-- lease of a running task matches: that is the fence against late results. An attempt that ends
-- its task stays on the task row; one that does not (retrying, queued again) was copied to
-- executions just before (execution-insert-ended) and the row is cleared for the next claim.
-- History entries of both transitions are read from those records (history-list). Returns
-- nothing (a RETURNING clause cost SQLite more than the update itself): the caller counts the
-- changed rows, then reads the few that need more (settled-dependents).
-- A statement per row with bound parameters, not one over a JSON array: extracting each column
-- from JSON cost more than the row update itself (docs/project/benchmarks.md).
-- Only in the SQLite adapter: PostgreSQL settles inside settle-claim, which also claims in the
-- same statement.
UPDATE tasks SET
  status = CASE WHEN ?18 THEN claimed_from ELSE ?4 END,
  output = CASE WHEN ?5 THEN ?6 ELSE output END,
  error = CASE WHEN ?7 THEN ?8 ELSE error END,
  run_at = coalesce(?9, run_at),
  attempt = attempt - (?10 OR ?18),
  crash_count = CASE WHEN ?18 THEN crash_count WHEN ?11 THEN crash_count + 1 ELSE 0 END,
  finished_at = CASE WHEN ?13 THEN ?1 END,
  started_at = CASE WHEN ?18 THEN NULL ELSE started_at END,
  seq = seq + CASE WHEN ?18 THEN -1 ELSE 1 END,
  execution_id = CASE WHEN ?13 THEN execution_id END,
  worker_id = CASE WHEN ?13 THEN worker_id END,
  outcome = CASE WHEN ?13 THEN ?14 END,
  metrics = CASE WHEN ?13 THEN ?16 END,
  end_reason = CASE WHEN ?13 THEN ?15 END,
  attempt_error = ?13 AND ?7 AND ?8 IS NOT NULL,
  settled_by = CASE WHEN ?13 AND worker_id IS NOT ?17 THEN ?17 END,
  lease_token = NULL,
  lease_expires_at = NULL,
  cancel_requested = 0,
  updated_at = ?1
WHERE id = ?2
  AND lease_token = ?3
  AND status = 'running'
  AND (?12 = 0 OR lease_expires_at <= ?1)
