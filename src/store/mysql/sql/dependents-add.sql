-- dependents-add: ? JSON array of [task id, count] pairs.
-- Counts new dependents on stored tasks (locked before by task-lock-many): `dependents > 0`
-- tells a settlement that it has follow-ups to run.
-- FORCE INDEX (PRIMARY): each task is found by its id even when a young table's statistics
-- make a scan look cheaper (a scan would lock rows other transactions hold, and deadlock).
UPDATE JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
  n INT PATH '$[1]'
)) AS j
STRAIGHT_JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id
SET t.dependents = t.dependents + j.n
