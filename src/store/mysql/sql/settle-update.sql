-- settle-update: ? JSON array of the settlements whose lease the caller found current
--   (settle-lock), each
--   [task id, lease token, status to, unstarted 0/1 (the claim is undone: status, attempt, crash
--   count and entry number go back), 1 to write the output (else keep it), output (JSON text),
--   1 to write the error, error (JSON text or null), run_at or null (keep), 1 to give the
--   attempt back (refund or unstarted), crashed 0/1, terminal 0/1, outcome, reason, metrics
--   (JSON text or null)], ? worker id (who settles) twice, ? now (ms, finished_at), ? now
--   (updated_at).
-- Ends every attempt of a settlement in one statement, in the caller's transaction (the rows are
-- locked by it). Only the current lease of a running task matches: that is the fence against
-- late results. An attempt that ends its task stays on the task row; one that does not (retrying,
-- queued again) was copied to executions just before (execution-insert-ended) and the row is
-- cleared for the next claim. History entries of both transitions are read from those records
-- (history-list). No assignment reads a column another one changes (a multi-table UPDATE leaves
-- their order to the server): settled_by reads worker_id, which a terminal settlement keeps.
-- FORCE INDEX (PRIMARY): each task is found by its id even when a young table's statistics
-- make a scan look cheaper (a scan would lock rows other transactions hold, and deadlock).
UPDATE JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
  token VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[1]',
  to_status VARCHAR(32) PATH '$[2]',
  unstarted TINYINT PATH '$[3]',
  has_output TINYINT PATH '$[4]',
  output LONGTEXT PATH '$[5]',
  has_error TINYINT PATH '$[6]',
  error LONGTEXT PATH '$[7]',
  run_at BIGINT PATH '$[8]',
  refund TINYINT PATH '$[9]',
  crashed TINYINT PATH '$[10]',
  terminal TINYINT PATH '$[11]',
  outcome VARCHAR(32) PATH '$[12]',
  reason TEXT PATH '$[13]',
  metrics LONGTEXT PATH '$[14]'
)) AS j
STRAIGHT_JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id AND t.lease_token = j.token
SET
  t.settled_by = CASE WHEN j.terminal = 1 AND NOT (t.worker_id <=> ?) THEN ? END,
  t.status = CASE WHEN j.unstarted = 1 THEN t.claimed_from ELSE j.to_status END,
  t.output = CASE WHEN j.has_output = 1 THEN j.output ELSE t.output END,
  t.error = CASE WHEN j.has_error = 1 THEN j.error ELSE t.error END,
  t.run_at = coalesce(j.run_at, t.run_at),
  t.attempt = t.attempt - j.refund,
  t.crash_count = CASE
    WHEN j.unstarted = 1 THEN t.crash_count
    WHEN j.crashed = 1 THEN t.crash_count + 1
    ELSE 0
  END,
  t.finished_at = CASE WHEN j.terminal = 1 THEN ? END,
  t.started_at = CASE WHEN j.unstarted = 1 THEN NULL ELSE t.started_at END,
  t.seq = t.seq + CASE WHEN j.unstarted = 1 THEN -1 ELSE 1 END,
  t.execution_id = CASE WHEN j.terminal = 1 THEN t.execution_id END,
  t.worker_id = CASE WHEN j.terminal = 1 THEN t.worker_id END,
  t.outcome = CASE WHEN j.terminal = 1 THEN j.outcome END,
  t.metrics = CASE WHEN j.terminal = 1 THEN j.metrics END,
  t.end_reason = CASE WHEN j.terminal = 1 THEN j.reason END,
  t.attempt_error = (j.terminal = 1 AND j.has_error = 1 AND j.error IS NOT NULL),
  t.cancel_requested = FALSE,
  t.lease_expires_at = NULL,
  t.updated_at = ?,
  t.lease_token = NULL
WHERE t.status = 'running'
