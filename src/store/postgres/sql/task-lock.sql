-- task-lock: $1 task id. The task, locked until the transaction ends.
-- Only in the PostgreSQL adapter: a cancel or retry reads the status and then writes, and a
-- concurrent claim must not slip in between; SQLite's write transaction already excludes it.
SELECT * FROM tasks WHERE id = $1 FOR UPDATE
