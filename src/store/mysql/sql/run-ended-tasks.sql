-- run-ended-tasks: ? run id. The run's tasks that ended without completing (a resume runs them
-- again), locked in id order, with their status and history entry number. Only in the MySQL
-- and SQLite adapters: PostgreSQL reads them inside run-resume-reset, which moves their attempts
-- to executions and writes the history entries too. The caller holds the run's lock.
-- FORCE INDEX (tasks_run_open): with a young table's statistics the server would rather scan
-- the primary key or the status index, locking tasks of other runs, which deadlocks.
SELECT id, status, seq
FROM tasks FORCE INDEX (tasks_run_open)
WHERE run_id = ? AND status IN ('failed', 'timed_out', 'cancelled')
ORDER BY id
FOR UPDATE
