-- run-steps: ? run id. The steps' own tasks (not map items), in the run's step order.
SELECT id, step, type, status, attempt, max_attempts, progress, progress_message, output, error,
  metrics, end_reason, created_at, started_at, finished_at, updated_at
FROM tasks
WHERE run_id = ? AND map_index IS NULL
ORDER BY step_order, id
