-- execution-finish-many: ?1 now (ms), ?2 JSON array of [execution id, outcome, error or null,
--   metrics or null].
-- Only in the SQLite adapter: PostgreSQL ends executions inside settle-update.
UPDATE executions SET
  finished_at = ?1,
  outcome = j.value->>1,
  error = nullif(j.value->2, 'null'),
  metrics = nullif(j.value->3, 'null')
FROM json_each(?2) AS j
WHERE executions.id = j.value->>0
