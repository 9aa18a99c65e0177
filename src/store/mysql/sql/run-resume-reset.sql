-- run-resume-reset: ? task ids (JSON array: those run-ended-tasks locked, their attempts moved by
--   run-resume-move), ? 1 when every task waits for a place (sequential), ? map steps whose
--   items wait for a place (JSON array), ? now (ms, run_at), ? now (updated_at).
-- Those tasks start a new attempt series, pending; the caller writes their history entries
-- (history-insert-many).
-- A join driven by the id list (STRAIGHT_JOIN and FORCE INDEX: each task found by its primary key,
-- even when a young table's statistics make a scan look cheaper), not `WHERE id IN (subquery)`:
-- MariaDB runs that single-table form as a scan of every task, locking rows other transactions
-- hold, which deadlocks under concurrency. No assignment reads a column another one changes (a
-- multi-table UPDATE leaves their order to the server): `held` reads map_index and step, which
-- nothing here writes.
UPDATE JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
STRAIGHT_JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id
SET
  t.status = 'pending',
  t.held = (? OR (t.map_index IS NOT NULL AND t.step IN (
    SELECT s.step FROM JSON_TABLE(?, '$[*]' COLUMNS (
      step VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$')) AS s))),
  t.attempt = 0,
  t.output = NULL,
  t.error = NULL,
  t.progress = NULL,
  t.progress_message = NULL,
  t.started_at = NULL,
  t.finished_at = NULL,
  t.crash_count = 0,
  t.cancel_requested = 0,
  t.run_at = ?,
  t.updated_at = ?,
  t.seq = t.seq + 1,
  t.execution_id = NULL,
  t.worker_id = NULL,
  t.claimed_from = NULL,
  t.outcome = NULL,
  t.metrics = NULL,
  t.end_reason = NULL,
  t.attempt_error = 0,
  t.settled_by = NULL
