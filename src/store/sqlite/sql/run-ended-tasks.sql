-- run-ended-tasks: ?1 run id. The run's tasks that ended without completing (a resume runs
-- them again). Only in the SQLite adapter: PostgreSQL reads them inside run-resume-reset, which
-- moves their attempts to executions and writes the history entries too.
SELECT id, status
FROM tasks
WHERE run_id = ?1 AND status IN ('failed', 'timed_out', 'cancelled')
