-- task-cancel-request: $1 task id, $2 now (ms). A running task is flagged; its worker ends it.
UPDATE tasks SET cancel_requested = true, updated_at = $2
WHERE id = $1 AND status = 'running'
RETURNING *
