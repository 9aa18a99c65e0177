-- run-open-tasks: ?1 run id. The run's tasks that have not ended and are not running.
-- Only in the SQLite adapter: PostgreSQL reads the status each leaves inside run-tasks-cancel,
-- which writes the history entries too (SQLite has no INSERT inside a WITH).
SELECT id, status
FROM tasks
WHERE run_id = ?1 AND status IN ('pending', 'queued', 'paused', 'retrying')
