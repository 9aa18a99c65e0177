-- step-begin: $1 now (ms), $2 task id, $3 lease token, $4 input (JSON text), $5 cache key or
--   null. The input the claiming worker built for a pipeline step, kept while it runs. Returns
--   the task when its lease still holds.
UPDATE tasks SET input = $4::jsonb, cache_key = $5, updated_at = $1
WHERE id = $2 AND lease_token = $3 AND status = 'running'
RETURNING id
