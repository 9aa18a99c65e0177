-- history-list: $1 task id. Oldest first.
SELECT * FROM task_history WHERE task_id = $1 ORDER BY id
