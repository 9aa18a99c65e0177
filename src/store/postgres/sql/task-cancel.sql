-- task-cancel: $1 task id, $2 now (ms). A task that is not running is cancelled at once.
UPDATE tasks SET status = 'cancelled', finished_at = $2, updated_at = $2, cancel_requested = false
WHERE id = $1 AND status <> 'running'
RETURNING *
