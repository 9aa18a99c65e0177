-- lease-renew: ?1 new lease_expires_at (ms), ?2 JSON array of [task id, lease token].
-- Returns the leases still held, and whether someone asked to cancel each.
-- The unary + keeps the planner on the id index rather than a status scan.
UPDATE tasks SET lease_expires_at = ?1
FROM json_each(?2) AS j
WHERE tasks.id = j.value->>0 AND tasks.lease_token = j.value->>1 AND +tasks.status = 'running'
RETURNING tasks.id, tasks.cancel_requested
