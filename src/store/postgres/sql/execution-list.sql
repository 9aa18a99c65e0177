-- execution-list: $1 task id. Oldest attempt first.
SELECT * FROM executions WHERE task_id = $1 ORDER BY started_at, id
