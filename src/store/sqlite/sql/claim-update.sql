-- claim-update: ?1 now (ms), ?2 lease_expires_at (ms), ?3 worker id, ?4 JSON array of claims, each
--   [task id, lease token, execution id, previous status].
-- Re-checks the status so a row can only be claimed from a claimable status. The unary + keeps
-- the planner from driving the update through a status index instead of by id.
-- Nothing else is written at a claim: the attempt lives on the task row until it ends.
-- Only in the SQLite adapter: part of PostgreSQL's single claim statements.
UPDATE tasks SET
  status = 'running',
  attempt = tasks.attempt + 1,
  lease_token = j.value->>1,
  execution_id = j.value->>2,
  lease_expires_at = ?2,
  worker_id = ?3,
  started_at = ?1,
  updated_at = ?1,
  progress = NULL,
  progress_message = NULL,
  claimed_from = tasks.status,
  seq = tasks.seq + 1
FROM json_each(?4) AS j
WHERE tasks.id = j.value->>0 AND +tasks.status IN ('queued', 'retrying')
RETURNING *
