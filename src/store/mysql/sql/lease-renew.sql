-- lease-renew: ? JSON array of [task id, lease token] pairs, ? new lease_expires_at (ms).
-- Extends the leases still held; the caller reads which those are (lease-held) in the same
-- transaction.
-- FORCE INDEX (PRIMARY): each task is found by its id even when a young table's statistics
-- make a scan look cheaper (a scan would lock rows other transactions hold, and deadlock).
UPDATE JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
  token VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[1]'
)) AS j
STRAIGHT_JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id AND t.lease_token = j.token
SET t.lease_expires_at = ?
WHERE t.status = 'running'
