-- run-tasks-cancel-request: $1 now (ms), $2 run id. The run's running tasks are asked to stop;
-- their workers end them.
UPDATE tasks SET cancel_requested = true, updated_at = $1
WHERE run_id = $2 AND status = 'running'
