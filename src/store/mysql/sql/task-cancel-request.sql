-- task-cancel-request: ? now (ms), ? task id. A running task is flagged; its worker ends it.
UPDATE tasks SET cancel_requested = TRUE, updated_at = ?
WHERE id = ? AND status = 'running'
