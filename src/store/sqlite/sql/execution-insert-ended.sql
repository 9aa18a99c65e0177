-- execution-insert-ended: ?1 now (ms), ?2 task id, ?3 lease token, ?4 status to, ?5 outcome,
--   ?6 reason, ?7 error (JSON text or null), ?8 metrics (JSON text or null), ?9 only-if-expired
--   0/1, ?10 worker id (who settles).
-- Runs just before settle-update for an attempt that ends without ending its task (retrying,
-- queued again), in its transaction: if its lease still holds, the attempt is written to
-- executions once, whole, from the task row (attempt, worker, start, the status it was claimed
-- from) and the settlement.
-- Only in the SQLite adapter: PostgreSQL's settle-claim does this inside its one statement,
-- from the row values it locked.
INSERT INTO executions (
  id, task_id, attempt, worker_id, started_at, finished_at, outcome, error, metrics,
  from_status, to_status, reason, settled_by, claim_seq
)
SELECT execution_id, id, attempt, worker_id, started_at, ?1, ?5, ?7, ?8, claimed_from, ?4, ?6,
  CASE WHEN worker_id IS NOT ?10 THEN ?10 END, seq
FROM tasks
WHERE id = ?2
  AND execution_id IS NOT NULL
  AND lease_token = ?3
  AND status = 'running'
  AND (?9 = 0 OR lease_expires_at <= ?1)
