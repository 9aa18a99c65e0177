-- execution-list: ? task id, ? task id again. Oldest attempt first: those in executions, then
-- the one the task row holds (running, or the attempt that ended the task).
SELECT id, task_id, attempt, worker_id, started_at, finished_at, outcome, error, metrics
FROM executions WHERE task_id = ?
UNION ALL
SELECT execution_id, id, attempt, worker_id, started_at,
  CASE WHEN status = 'running' THEN NULL ELSE finished_at END, outcome,
  CASE WHEN attempt_error THEN error END, metrics
FROM tasks WHERE id = ? AND execution_id IS NOT NULL
ORDER BY started_at, id
