-- map-expand-lock: ? task id, ? lease token. The running map step that fans out, locked while
-- its lease holds, with its history entry number (no row: the lease is lost). The caller holds
-- the run's lock.
-- Only in the MySQL adapter: PostgreSQL fences and reads it in map-expand-head's RETURNING.
SELECT id, seq FROM tasks
WHERE id = ? AND lease_token = ? AND status = 'running'
FOR UPDATE
