-- run-release-held: $1 now (ms), $2 run id, $3 map step or null (any step), $4 how many, $5
--   history reason.
-- Held tasks whose dependencies have completed take the free places, in step order then item
-- order (a step's own task before its items, as on SQLite), each with its history entry. Wakes
-- the listeners at commit when one was released. The caller holds the run's lock.
WITH chosen AS (
  SELECT id FROM tasks
  WHERE run_id = $2 AND status = 'pending' AND held AND waiting_on = 0
    AND ($3::text IS NULL OR step = $3)
  ORDER BY step_order, map_index NULLS FIRST, id
  LIMIT $4
  FOR UPDATE
),
released AS (
  UPDATE tasks t SET status = 'queued', held = false, run_at = $1, updated_at = $1,
    seq = t.seq + 1
  FROM chosen c
  WHERE t.id = c.id
  RETURNING t.id, t.seq
),
recorded AS (
  INSERT INTO task_history (task_id, seq, from_status, to_status, at, reason, worker_id)
  SELECT id, seq, 'pending', 'queued', $1, $5, NULL FROM released
),
woken AS (
  SELECT pg_notify(current_schema() || '_wakeup', '') FROM released LIMIT 1
)
SELECT id, (SELECT count(*) FROM woken) AS woken FROM released
