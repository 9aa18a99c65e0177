-- artifact-list: $1 task id.
SELECT * FROM artifacts WHERE task_id = $1 ORDER BY created_at, id
