-- run-tasks-cancel: $1 now (ms), $2 run id, $3 history reason.
-- The run's tasks that have not ended and are not running are cancelled, each with its history
-- entry (the status it left is read under the row lock). The caller holds the run's lock.
WITH open AS (
  SELECT id, status FROM tasks
  WHERE run_id = $2 AND status IN ('pending', 'queued', 'paused', 'retrying')
  ORDER BY id
  FOR UPDATE
),
cancelled AS (
  UPDATE tasks t SET status = 'cancelled', finished_at = $1, updated_at = $1,
    cancel_requested = false, waiting_on = 0, held = false, seq = t.seq + 1
  FROM open o
  WHERE t.id = o.id
  RETURNING t.id, t.seq, o.status AS from_status
)
INSERT INTO task_history (task_id, seq, from_status, to_status, at, reason, worker_id)
SELECT id, seq, from_status, 'cancelled', $1, $3, NULL FROM cancelled
