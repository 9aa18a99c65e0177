-- lease-renew: $1 new lease_expires_at (ms), $2 text[] task ids, $3 text[] lease tokens.
-- Returns the leases still held, and whether someone asked to cancel each. Rows are locked in id
-- order, as settle-update locks them, so a renewal and a sweeper's recovery cannot deadlock.
WITH locked AS (
  SELECT t.id FROM tasks t WHERE t.id = ANY($2::text[]) ORDER BY t.id FOR UPDATE
)
UPDATE tasks SET lease_expires_at = $1
FROM unnest($2::text[], $3::text[]) AS l(id, token)
WHERE tasks.id = l.id AND tasks.id IN (SELECT id FROM locked)
  AND tasks.lease_token = l.token AND tasks.status = 'running'
RETURNING tasks.id, tasks.cancel_requested
