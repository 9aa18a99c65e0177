-- artifact-list: ? task id.
SELECT * FROM artifacts WHERE task_id = ? ORDER BY created_at, id
