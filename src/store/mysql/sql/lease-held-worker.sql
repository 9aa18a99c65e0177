-- lease-held-worker: ? worker id, ? worker id again.
-- A unit's heartbeat without a list of leases renews every task running under its id that it
-- claimed since its row's start time: a previous holder of a taken-over id (registered again
-- after it went offline) keeps its leases running out, so the sweeper recovers its tasks. These
-- are those leases, read without locks; the caller renews them by id and token (lease-renew).
-- Only in the MySQL adapter: the others renew and return in one statement (RETURNING).
SELECT id, lease_token FROM tasks
WHERE status = 'running' AND worker_id = ?
  AND started_at >= (SELECT w.started_at FROM workers w WHERE w.id = ?)
ORDER BY id
