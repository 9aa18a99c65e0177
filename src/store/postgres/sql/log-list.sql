-- log-list: $1 task id, $2 return lines after this id (0: from the start), $3 limit (NULL: all).
SELECT * FROM task_logs WHERE task_id = $1 AND id > $2 ORDER BY id LIMIT $3
