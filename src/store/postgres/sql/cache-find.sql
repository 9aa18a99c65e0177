-- cache-find: $1 cache key, $2 oldest finish time (ms) still fresh.
SELECT id, output
FROM tasks
WHERE cache_key = $1 AND status = 'completed' AND finished_at >= $2
ORDER BY finished_at DESC
LIMIT 1
