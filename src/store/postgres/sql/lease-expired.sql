-- lease-expired: $1 now (ms), $2 limit. Running tasks whose lease ran out, oldest first,
-- read in expiry order from the partial index of running tasks.
SELECT id, lease_token, type, queue, attempt, max_attempts, crash_count, cancel_requested, worker_id,
  run_id
FROM tasks
WHERE status = 'running' AND lease_expires_at <= $1
ORDER BY lease_expires_at, id
LIMIT $2
