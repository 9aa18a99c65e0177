-- task-get: ? task id.
SELECT * FROM tasks WHERE id = ?
