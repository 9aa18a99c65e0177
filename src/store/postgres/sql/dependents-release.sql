-- dependents-release: $1 now (ms), $2 text[] ids of tasks that just completed (locked by this
--   transaction), $3 history reason.
-- The follow-up `release-dependents` (src/core/follow-ups.ts): every pending task that depends
-- on them counts that many dependencies fewer, and one with none left becomes queued, with its
-- history entry (unless it is held for a place in its pipeline run: then the run's follow-ups
-- start it). Wakes the listeners at commit when one did. Returns the released ids.
WITH done AS (
  SELECT d.task_id, count(*) AS n
  FROM task_dependencies d
  WHERE d.depends_on = ANY($2::text[])
  GROUP BY d.task_id
),
counted AS (
  UPDATE tasks t SET
    waiting_on = t.waiting_on - done.n,
    status = CASE WHEN t.waiting_on - done.n <= 0 AND NOT t.held THEN 'queued' ELSE t.status END,
    seq = t.seq + CASE WHEN t.waiting_on - done.n <= 0 AND NOT t.held THEN 1 ELSE 0 END,
    updated_at = $1
  FROM done
  WHERE t.id = done.task_id AND t.status = 'pending'
  RETURNING t.id, t.status, t.seq, t.run_at
),
recorded AS (
  INSERT INTO task_history (task_id, seq, from_status, to_status, at, reason, worker_id)
  SELECT id, seq, 'pending', 'queued', $1, $3, NULL FROM counted WHERE status = 'queued'
),
woken AS (
  SELECT pg_notify(current_schema() || '_wakeup', '') FROM counted
  WHERE status = 'queued' AND run_at <= $1
  LIMIT 1
)
SELECT id, (SELECT count(*) FROM woken) AS woken FROM counted WHERE status = 'queued'
