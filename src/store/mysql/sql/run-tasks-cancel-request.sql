-- run-tasks-cancel-request: ? now (ms), ? run id. The run's running tasks are asked to stop;
-- their workers end them.
-- FORCE INDEX (tasks_run_open): with a young table's statistics the server would rather scan
-- the primary key or the status index, locking tasks of other runs, which deadlocks.
UPDATE tasks FORCE INDEX (tasks_run_open) SET cancel_requested = 1, updated_at = ?
WHERE run_id = ? AND status = 'running'
