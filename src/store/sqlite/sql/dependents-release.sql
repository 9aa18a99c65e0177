-- dependents-release: ?1 now (ms), ?2 JSON array of ids of tasks that just completed.
-- The follow-up `release-dependents` (src/core/follow-ups.ts): every pending task that depends
-- on them counts that many dependencies fewer, and one with none left becomes queued (unless it
-- is held for a place in its pipeline run: then the run's follow-ups start it). Returns
-- every pending task counted down, with its status and entry number (seq): the caller writes
-- the history entries of the released ones (SQLite has no INSERT inside a WITH).
UPDATE tasks SET
  waiting_on = tasks.waiting_on - done.n,
  status = CASE
    WHEN tasks.waiting_on - done.n <= 0 AND tasks.held = 0 THEN 'queued' ELSE tasks.status
  END,
  seq = tasks.seq + CASE WHEN tasks.waiting_on - done.n <= 0 AND tasks.held = 0 THEN 1 ELSE 0 END,
  updated_at = ?1
FROM (
  SELECT d.task_id, count(*) AS n
  FROM task_dependencies d
  WHERE d.depends_on IN (SELECT value FROM json_each(?2))
  GROUP BY d.task_id
) AS done
WHERE tasks.id = done.task_id AND tasks.status = 'pending'
RETURNING tasks.id, tasks.status, tasks.seq
