-- task-cancel: ? now (ms, finished_at), ? now (updated_at), ? task id. A task that is not running
-- is cancelled at once (one more history entry: the caller reads the row back and writes it).
UPDATE tasks SET status = 'cancelled', finished_at = ?, updated_at = ?, cancel_requested = FALSE,
  seq = seq + 1
WHERE id = ? AND status <> 'running'
