-- run-active: ? run id, ? map step or NULL, the same again. How many of the run's tasks (or of
-- that step's items) are queued, running or between attempts: what holds a place.
SELECT COUNT(*) AS n
FROM tasks
WHERE run_id = ? AND status IN ('queued', 'running', 'retrying')
  AND (? IS NULL OR (step = ? AND map_index IS NOT NULL))
