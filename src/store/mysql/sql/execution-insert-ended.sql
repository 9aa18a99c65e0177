-- execution-insert-ended: ? now (ms), ? worker id (who settles) twice, ? JSON array of the
--   attempts, each [task id, outcome, error (JSON text or null), metrics (JSON text or null),
--   status to, reason].
-- Runs just before settle-update, in its transaction, for the attempts that end without ending
-- their task (retrying, queued again) and whose lease the caller found current (settle-lock):
-- each is written to executions once, whole, from the task row (attempt, worker, start, the
-- status it was claimed from) and the settlement.
INSERT INTO executions (
  id, task_id, attempt, worker_id, started_at, finished_at, outcome, error, metrics,
  from_status, to_status, reason, settled_by, claim_seq
)
SELECT t.execution_id, t.id, t.attempt, t.worker_id, t.started_at, ?, j.outcome, j.error,
  j.metrics, t.claimed_from, j.to_status, j.reason,
  CASE WHEN NOT (t.worker_id <=> ?) THEN ? END, t.seq
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  ord FOR ORDINALITY,
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
  outcome VARCHAR(32) PATH '$[1]',
  error LONGTEXT PATH '$[2]',
  metrics LONGTEXT PATH '$[3]',
  to_status VARCHAR(32) PATH '$[4]',
  reason TEXT PATH '$[5]'
)) AS j
JOIN tasks t ON t.id = j.id
WHERE t.execution_id IS NOT NULL AND t.status = 'running'
ORDER BY j.ord
