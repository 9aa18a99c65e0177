-- run-held-ready: ? run id, ? map step or NULL (any step), the same again, ? how many.
-- Held tasks whose dependencies have completed that take the free places, in step order then
-- item order (a step's own task before its items: MySQL puts NULLs first), locked, with their
-- history entry numbers. Only in the MySQL adapter: PostgreSQL chooses and releases them in
-- run-release-held. The caller holds the run's lock.
-- FORCE INDEX (tasks_run_open): with a young table's statistics the server would rather scan
-- the primary key or the status index, locking tasks of other runs, which deadlocks.
SELECT id, seq
FROM tasks FORCE INDEX (tasks_run_open)
WHERE run_id = ? AND status = 'pending' AND held AND waiting_on = 0
  AND (? IS NULL OR step = ?)
ORDER BY step_order, map_index, id
LIMIT ?
FOR UPDATE
