-- lease-held-shared: ? JSON array of [task id, lease token] pairs.
-- Which of these leases are current, holding a shared lock on those tasks until the transaction
-- ends, so a settlement cannot end the attempt between this check and the writes fenced by it
-- (log-append-many).
-- Driven by the pair list (STRAIGHT_JOIN and FORCE INDEX: each task found by its primary key):
-- with the tasks read first, as a young table's statistics make the server choose, it scans
-- them by status and share-locks rows other transactions hold.
-- Only in the MySQL adapter: the others insert and return in one statement (RETURNING).
SELECT STRAIGHT_JOIN t.id
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
  token VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[1]'
)) AS j
JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id AND t.lease_token = j.token
WHERE t.status = 'running'
ORDER BY t.id
LOCK IN SHARE MODE
