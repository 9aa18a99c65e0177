-- history-insert-submitted: ?1 now (ms), ?2 first rowid, ?3 last rowid of the tasks just inserted.
-- The first history entry of each new task: from nothing to its initial status.
-- Only in the SQLite adapter: PostgreSQL writes the first history entries inside
-- task-insert-many, from the rows its RETURNING reports.
INSERT INTO task_history (task_id, from_status, to_status, at, reason, worker_id)
SELECT id, NULL, status, ?1, 'submitted', NULL FROM tasks WHERE rowid BETWEEN ?2 AND ?3
ORDER BY rowid
