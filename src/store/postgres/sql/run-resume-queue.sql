-- run-resume-queue: $1 now (ms), $2 run id, $3 history reason. Pending tasks of a resumed run
-- that wait on nothing, and not for a place, are queued, each with its history entry. Wakes
-- the listeners at commit when one was.
WITH queued AS (
  UPDATE tasks SET status = 'queued', updated_at = $1, seq = seq + 1
  WHERE run_id = $2 AND status = 'pending' AND waiting_on = 0 AND NOT held
  RETURNING id, seq
),
recorded AS (
  INSERT INTO task_history (task_id, seq, from_status, to_status, at, reason, worker_id)
  SELECT id, seq, 'pending', 'queued', $1, $3, NULL FROM queued
),
woken AS (
  SELECT pg_notify(current_schema() || '_wakeup', '') FROM queued LIMIT 1
)
SELECT id, (SELECT count(*) FROM woken) AS woken FROM queued
