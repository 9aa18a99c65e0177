-- lease-expired: ? now (ms), ? limit. Running tasks whose lease ran out, oldest first (from
-- tasks_running): the sweeper recovers them with a settlement that needs the lease expired.
SELECT id, lease_token, type, queue, attempt, max_attempts, crash_count, cancel_requested,
  worker_id, run_id
FROM tasks
WHERE status = 'running' AND lease_expires_at <= ?
ORDER BY lease_expires_at, id
LIMIT ?
