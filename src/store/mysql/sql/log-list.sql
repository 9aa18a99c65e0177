-- log-list: ? task id, ? after this log id (0: from the start), ? limit.
SELECT * FROM task_logs WHERE task_id = ? AND id > ? ORDER BY id LIMIT ?
