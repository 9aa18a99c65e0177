-- run-active: $1 run id, $2 map step or null. How many of the run's tasks (or of that step's
-- items) are queued, running or between attempts: what holds a place.
SELECT count(*) AS n
FROM tasks
WHERE run_id = $1 AND status IN ('queued', 'running', 'retrying')
  AND ($2::text IS NULL OR (step = $2 AND map_index IS NOT NULL))
