-- cache-find: ? cache key, ? oldest finish time (ms) still fresh.
SELECT id, output
FROM tasks
WHERE cache_key = ? AND status = 'completed' AND finished_at >= ?
ORDER BY finished_at DESC
LIMIT 1
