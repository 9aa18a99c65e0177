-- settle-update: ?1 now (ms), ?2 JSON array of settlements, each
--   [id, lease token, to status, output wrapper, error wrapper, run_at or null, refund 0/1,
--    crashed 0/1, only-if-expired 0/1, terminal 0/1]
-- A wrapper is [value] to write the value (JSON null clears it) or null to keep what is stored.
-- Only the current lease of a running task matches: that is the fence against late results.
-- The unary + keeps the planner on the id index (json_each outer) rather than a status scan.
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
  lease_token = NULL,
  lease_expires_at = NULL,
  worker_id = NULL,
  cancel_requested = 0,
  updated_at = ?1
FROM json_each(?2) AS j
WHERE tasks.id = j.value->>0
  AND tasks.lease_token = j.value->>1
  AND +tasks.status = 'running'
  AND (j.value->>8 = 0 OR tasks.lease_expires_at <= ?1)
RETURNING tasks.id, tasks.execution_id
