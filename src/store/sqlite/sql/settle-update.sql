-- settle-update: ?1 now (ms), ?2 JSON array of settlements, each
--   [id, lease token, to status, output wrapper, error wrapper, run_at or null, refund 0/1,
--    crashed 0/1, only-if-expired 0/1, terminal 0/1, outcome, reason, metrics or null,
--    execution error or null], ?3 worker id (who settles).
-- A wrapper is [value] to write the value (JSON null clears it) or null to keep what is stored.
-- Only the current lease of a running task matches: that is the fence against late results.
-- An attempt that ends its task stays on the task row; one that does not (retrying, queued
-- again) was copied to executions just before (execution-insert-ended) and the row is cleared
-- for the next claim. History entries of both transitions are read from those records
-- (history-list). Only in the SQLite adapter: PostgreSQL settles inside settle-claim, which
-- also claims in the same statement. The unary + keeps the planner on the id index (json_each outer) rather than a
-- status scan.
UPDATE tasks SET
  status = j.value->>2,
  output = CASE WHEN json_type(j.value, '$[3]') = 'array'
    THEN nullif(j.value->'$[3][0]', 'null') ELSE tasks.output END,
  error = CASE WHEN json_type(j.value, '$[4]') = 'array'
    THEN nullif(j.value->'$[4][0]', 'null') ELSE tasks.error END,
  run_at = coalesce(j.value->>5, tasks.run_at),
  attempt = tasks.attempt - (j.value->>6),
  crash_count = CASE WHEN j.value->>7 = 1 THEN tasks.crash_count + 1 ELSE 0 END,
  finished_at = CASE WHEN j.value->>9 = 1 THEN ?1 ELSE NULL END,
  seq = tasks.seq + 1,
  execution_id = CASE WHEN j.value->>9 = 1 THEN tasks.execution_id END,
  worker_id = CASE WHEN j.value->>9 = 1 THEN tasks.worker_id END,
  outcome = CASE WHEN j.value->>9 = 1 THEN j.value->>10 END,
  metrics = CASE WHEN j.value->>9 = 1 THEN nullif(j.value->12, 'null') END,
  end_reason = CASE WHEN j.value->>9 = 1 THEN j.value->>11 END,
  attempt_error = j.value->>9 = 1 AND json_type(j.value, '$[13]') = 'object',
  settled_by = CASE WHEN j.value->>9 = 1 AND tasks.worker_id IS NOT ?3 THEN ?3 END,
  lease_token = NULL,
  lease_expires_at = NULL,
  cancel_requested = 0,
  updated_at = ?1
FROM json_each(?2) AS j
WHERE tasks.id = j.value->>0
  AND tasks.lease_token = j.value->>1
  AND +tasks.status = 'running'
  AND (j.value->>8 = 0 OR tasks.lease_expires_at <= ?1)
RETURNING tasks.id, tasks.dependents
