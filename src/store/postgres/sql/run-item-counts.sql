-- run-item-counts: $1 run id. A run's map items counted by step and status.
SELECT step, status, count(*) AS count
FROM tasks
WHERE run_id = $1 AND map_index IS NOT NULL
GROUP BY step, status
