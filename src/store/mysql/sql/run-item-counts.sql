-- run-item-counts: ? run id. A run's map items counted by step and status.
SELECT step, status, COUNT(*) AS count
FROM tasks
WHERE run_id = ? AND map_index IS NOT NULL
GROUP BY step, status
