-- run-open-tasks: ? run id. The run's tasks that have not ended and are not running, locked in
-- id order, with the status each leaves and its history entry number. Only in the MySQL and
-- SQLite adapters: PostgreSQL reads them inside run-tasks-cancel, which writes the history
-- entries too (MySQL has no RETURNING and no INSERT inside a WITH). The caller holds the run's
-- lock.
-- FORCE INDEX (tasks_run_open): with a young table's statistics the server would rather scan
-- the primary key or the status index, locking tasks of other runs, which deadlocks.
SELECT id, status, seq
FROM tasks FORCE INDEX (tasks_run_open)
WHERE run_id = ? AND status IN ('pending', 'queued', 'paused', 'retrying')
ORDER BY id
FOR UPDATE
