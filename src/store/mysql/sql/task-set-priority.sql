-- task-set-priority: ? priority 0..3, ? now (ms), ? task id. Only while the task waits.
UPDATE tasks SET priority = ?, updated_at = ?
WHERE id = ? AND status IN ('pending', 'queued', 'retrying', 'paused')
