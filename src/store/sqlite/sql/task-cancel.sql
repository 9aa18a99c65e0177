-- task-cancel: ?1 task id, ?2 now (ms). A task that is not running is cancelled at once (one more
-- history entry: the caller writes it with the returned seq).
UPDATE tasks SET status = 'cancelled', finished_at = ?2, updated_at = ?2, cancel_requested = 0,
  seq = seq + 1
WHERE id = ?1 AND status <> 'running'
RETURNING *
