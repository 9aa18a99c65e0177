-- task-update: ? input as JSON text or NULL (keep), ? priority 0..3 or NULL (keep), ? run_at (ms)
--   or NULL (keep), ? queue or NULL (keep), ? 1 to set the name to the next parameter (text, or
--   NULL to clear it), 0 to keep it, ? name, ? now (ms), ? task id.
-- A person's update of a waiting task (src/store/task-change-contract.ts): only while it still
-- waits, so a claim that took it first wins and nothing is written. One more history entry (the
-- caller reads the row back and writes it). The input hash (idempotency fingerprint) is kept.
UPDATE tasks SET
  input = coalesce(?, input),
  priority = coalesce(?, priority),
  run_at = coalesce(?, run_at),
  queue = coalesce(?, queue),
  name = CASE WHEN ? = 1 THEN ? ELSE name END,
  updated_at = ?,
  seq = seq + 1
WHERE id = ? AND status IN ('pending', 'queued', 'retrying', 'paused')
