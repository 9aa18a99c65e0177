-- task-progress: ? JSON array of [task id, lease token, percent, message], ? now (ms).
-- Records progress of attempts whose lease is current; the caller reads which those were
-- (lease-held) in the same transaction.
-- FORCE INDEX (PRIMARY): each task is found by its id even when a young table's statistics
-- make a scan look cheaper (a scan would lock rows other transactions hold, and deadlock).
UPDATE JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
  token VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[1]',
  percent DOUBLE PATH '$[2]',
  message TEXT PATH '$[3]'
)) AS j
STRAIGHT_JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id AND t.lease_token = j.token
SET t.progress = j.percent, t.progress_message = j.message, t.updated_at = ?
WHERE t.status = 'running'
