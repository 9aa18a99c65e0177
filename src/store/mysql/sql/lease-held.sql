-- lease-held: ? JSON array of [task id, lease token] pairs.
-- Which of these leases are current (the task runs under that token), and whether someone asked
-- to cancel each: after lease-renew or task-progress, in their transaction.
-- Only in the MySQL adapter: the others return these rows from the update (RETURNING).
SELECT t.id, t.cancel_requested FROM tasks t
JOIN JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
  token VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[1]'
)) AS j ON t.id = j.id AND t.lease_token = j.token
WHERE t.status = 'running'
