-- run-tasks-cancel: ? task ids (JSON array: those run-open-tasks locked), ? now (ms,
--   finished_at), ? now (updated_at). They are cancelled; the caller writes their history
--   entries (history-insert-many).
-- A join driven by the id list (STRAIGHT_JOIN and FORCE INDEX: each task found by its primary key,
-- even when a young table's statistics make a scan look cheaper), not `WHERE id IN (subquery)`:
-- MariaDB runs that single-table form as a scan of every task, locking rows other transactions
-- hold, which deadlocks under concurrency.
UPDATE JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
STRAIGHT_JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id
SET t.status = 'cancelled', t.finished_at = ?, t.updated_at = ?, t.cancel_requested = 0,
  t.waiting_on = 0, t.held = 0, t.seq = t.seq + 1
