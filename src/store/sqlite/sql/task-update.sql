-- task-update: ?1 task id, ?2 now (ms), ?3 input as JSON text or NULL (keep), ?4 priority 0..3 or
--   NULL (keep), ?5 run_at (ms) or NULL (keep), ?6 queue or NULL (keep), ?7 1 to set the name to
--   ?8 (text, or NULL to clear it), 0 to keep it.
-- A person's update of a waiting task (src/store/task-change-contract.ts): only while it still
-- waits, so a claim that took it first wins and nothing is written. One more history entry (the
-- caller writes it with the returned seq). The input hash (idempotency fingerprint) is kept.
UPDATE tasks SET
  input = coalesce(?3, input),
  priority = coalesce(?4, priority),
  run_at = coalesce(?5, run_at),
  queue = coalesce(?6, queue),
  name = CASE WHEN ?7 = 1 THEN ?8 ELSE name END,
  updated_at = ?2,
  seq = seq + 1
WHERE id = ?1 AND status IN ('pending', 'queued', 'retrying', 'paused')
RETURNING *
