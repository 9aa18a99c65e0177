-- lease-renew-worker: $1 new lease_expires_at (ms), $2 worker id.
-- A unit's heartbeat without a list of leases renews every task running under its id that it
-- claimed since its row's start time: a previous holder of a taken-over id (registered again
-- after it went offline) keeps its leases running out, so the sweeper recovers its tasks. Rows
-- are locked in id order, as settle-update locks them, so a renewal and a sweeper's recovery
-- cannot deadlock. Returns each renewed lease with its token, and whether someone asked to
-- cancel it.
WITH locked AS (
  SELECT t.id FROM tasks t
  WHERE t.status = 'running' AND t.worker_id = $2
    AND t.started_at >= (SELECT w.started_at FROM workers w WHERE w.id = $2)
  ORDER BY t.id FOR UPDATE
)
UPDATE tasks SET lease_expires_at = $1
WHERE tasks.id IN (SELECT id FROM locked) AND tasks.status = 'running' AND tasks.worker_id = $2
RETURNING tasks.id, tasks.lease_token, tasks.cancel_requested
