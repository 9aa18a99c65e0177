-- lease-renew-worker: ?1 new lease_expires_at (ms), ?2 worker id.
-- A unit's heartbeat without a list of leases renews every task running under its id that it
-- claimed since its row's start time: a previous holder of a taken-over id (registered again
-- after it went offline) keeps its leases running out, so the sweeper recovers its tasks.
-- Returns each renewed lease with its token, and whether someone asked to cancel it.
UPDATE tasks SET lease_expires_at = ?1
WHERE status = 'running' AND worker_id = ?2
  AND started_at >= (SELECT started_at FROM workers WHERE id = ?2)
RETURNING id, lease_token, cancel_requested
