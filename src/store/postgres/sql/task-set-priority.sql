-- task-set-priority: $1 task id, $2 now (ms), $3 priority 0..3. Only while the task waits.
UPDATE tasks SET priority = $3, updated_at = $2
WHERE id = $1 AND status IN ('pending', 'queued', 'retrying', 'paused')
RETURNING *
