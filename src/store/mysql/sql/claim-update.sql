-- claim-update: ? JSON array of the tasks claim-select chose, each [task id, the status it was
--   read in, lease token, execution id], ? lease_expires_at (ms), ? worker id, ? now (ms,
--   started_at), ? now (updated_at).
-- Leases every chosen task in one statement, in the claim's transaction (claim-select locked the
-- rows, so each is still in the status it was read in). Re-checks the status so a row can only
-- be claimed from a claimable status. Nothing else is written at a claim: the attempt lives on
-- the task row until it ends. No assignment reads a column another one changes (claimed_from
-- comes from the parameter), since a multi-table UPDATE leaves their order to the server.
-- SQLite runs its claim-update once per task; here one statement serves the whole claim.
-- FORCE INDEX (PRIMARY): each task is found by its id even when a young table's statistics
-- make a scan look cheaper (a scan would lock rows other transactions hold, and deadlock).
UPDATE JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
  from_status VARCHAR(32) PATH '$[1]',
  token VARCHAR(255) PATH '$[2]',
  execution_id VARCHAR(255) PATH '$[3]'
)) AS j
STRAIGHT_JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id
SET t.claimed_from = j.from_status,
  t.status = 'running',
  t.attempt = t.attempt + 1,
  t.lease_token = j.token,
  t.execution_id = j.execution_id,
  t.lease_expires_at = ?,
  t.worker_id = ?,
  t.started_at = ?,
  t.updated_at = ?,
  t.progress = NULL,
  t.progress_message = NULL,
  t.seq = t.seq + 1
WHERE t.status IN ('queued', 'retrying')
