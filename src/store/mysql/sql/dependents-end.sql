-- dependents-end: ? JSON array of [task id, status to end in, error (JSON text)], ? now (ms,
--   finished_at), ? now again (updated_at).
-- The follow-up `end-dependents` (src/core/follow-ups.ts) for pending tasks found by
-- dependents-pending and locked by the caller: each ends with its error. The caller reads their
-- entry numbers after (tasks-seq) for the history entries.
-- FORCE INDEX (PRIMARY): each task is found by its id even when a young table's statistics
-- make a scan look cheaper (a scan would lock rows other transactions hold, and deadlock).
UPDATE JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
  status VARCHAR(32) PATH '$[1]',
  error LONGTEXT PATH '$[2]'
)) AS j
STRAIGHT_JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id
SET t.status = j.status,
  t.error = j.error,
  t.finished_at = ?,
  t.waiting_on = 0,
  t.seq = t.seq + 1,
  t.updated_at = ?
WHERE t.status = 'pending'
