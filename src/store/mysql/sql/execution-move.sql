-- execution-move: ? task id. The attempt that ended the task leaves its row for executions (a
-- retry makes room for the next attempt), just before task-retry in its transaction.
INSERT INTO executions (
  id, task_id, attempt, worker_id, started_at, finished_at, outcome, error, metrics,
  from_status, to_status, reason, settled_by, claim_seq
)
SELECT execution_id, id, attempt, worker_id, started_at, finished_at, outcome,
  CASE WHEN attempt_error THEN error END, metrics, claimed_from, status, end_reason, settled_by,
  seq - 1
FROM tasks
WHERE id = ? AND execution_id IS NOT NULL AND status IN ('failed', 'timed_out', 'cancelled')
