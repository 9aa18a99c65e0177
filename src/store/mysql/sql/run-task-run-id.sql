-- run-task-run-id: ? task id. The run a task belongs to (NULL: none; no row: no such task), read
-- when a map step fans out into no items. Only in the MySQL adapter: PostgreSQL reads the whole
-- row (task-get) for it, SQLite needs no run lock.
SELECT run_id FROM tasks WHERE id = ?
