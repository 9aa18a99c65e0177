-- artifact-insert: $1 id, $2 task id, $3 attempt, $4 name, $5 path, $6 size, $7 sha256,
--   $8 now (ms), $9 lease token. Inserts nothing unless the lease is current.
INSERT INTO artifacts (id, task_id, attempt, name, path, size, sha256, created_at)
SELECT $1, id, $3, $4, $5, $6, $7, $8 FROM tasks
WHERE id = $2 AND lease_token = $9 AND status = 'running'
RETURNING *
