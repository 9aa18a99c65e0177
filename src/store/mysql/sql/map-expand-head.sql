-- map-expand-head: ? how many items it waits on, ? now (ms), ? task id (locked by
--   map-expand-lock, its lease checked there).
-- A running map step that fanned out waits (pending) for its items; the attempt that fanned it
-- out is given back, so the attempt that gathers the items is its first. The caller writes its
-- history entry (history-insert-many).
UPDATE tasks SET
  status = 'pending',
  waiting_on = ?,
  attempt = attempt - 1,
  started_at = NULL,
  lease_token = NULL,
  lease_expires_at = NULL,
  execution_id = NULL,
  worker_id = NULL,
  claimed_from = NULL,
  updated_at = ?,
  seq = seq + 1
WHERE id = ?
