-- run-resume-ready: ? run id. Pending tasks of a resumed run that wait on nothing, and not for a
-- place, locked, with their history entry numbers: run-resume-queue queues them.
-- Only in the MySQL adapter: PostgreSQL chooses and queues them in run-resume-queue.
-- FORCE INDEX (tasks_run_open): with a young table's statistics the server would rather scan
-- the primary key or the status index, locking tasks of other runs, which deadlocks.
SELECT id, seq
FROM tasks FORCE INDEX (tasks_run_open)
WHERE run_id = ? AND status = 'pending' AND waiting_on = 0 AND NOT held
ORDER BY id
FOR UPDATE
