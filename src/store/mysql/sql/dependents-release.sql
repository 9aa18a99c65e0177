-- dependents-release: ? JSON array of the released tasks' new values, each [task id, waiting_on,
--   status, seq], ? now (ms).
-- The follow-up `release-dependents` (src/core/follow-ups.ts) writes what the caller decided: the
-- pending tasks that wait on the completed ones were locked (task-lock-many) and counted
-- (dependents-waiting), and each counts that many dependencies fewer, becoming queued when none
-- is left (unless it is held for a place in its pipeline run: then the run's follow-ups start
-- it). Every value comes from the parameter, so the order the server assigns them in does not
-- matter; the ids drive the join, so only these rows are touched.
-- FORCE INDEX (PRIMARY): each task is found by its id even when a young table's statistics
-- make a scan look cheaper (a scan would lock rows other transactions hold, and deadlock).
UPDATE JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
  waiting_on INT PATH '$[1]',
  status VARCHAR(32) PATH '$[2]',
  seq INT PATH '$[3]'
)) AS j
STRAIGHT_JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id
SET t.waiting_on = j.waiting_on, t.status = j.status, t.seq = j.seq, t.updated_at = ?
WHERE t.status = 'pending'
