-- step-begin: ? input (JSON text), ? cache key or NULL, ? now (ms), ? task id, ? lease token.
-- The input the claiming worker built for a pipeline step, kept while it runs. 1 matched row
-- when its lease still holds.
UPDATE tasks SET input = ?, cache_key = ?, updated_at = ?
WHERE id = ? AND lease_token = ? AND status = 'running'
