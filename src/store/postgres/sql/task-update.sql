-- task-update: $1 task id, $2 now (ms), $3 input as JSON text or NULL (keep), $4 priority 0..3 or
--   NULL (keep), $5 run_at (ms) or NULL (keep), $6 queue or NULL (keep), $7 true to set the name
--   to $8 (text, or NULL to clear it), false to keep it.
-- A person's update of a waiting task (src/store/task-change-contract.ts): only while it still
-- waits (the caller holds its row lock). One more history entry (the caller writes it with the
-- returned seq). The input hash (idempotency fingerprint) is kept. Wakes the listeners at commit
-- when the task is ready now (its run-at or queue may have made it so).
WITH updated AS (
  UPDATE tasks SET
    input = coalesce($3::text::jsonb, input),
    priority = coalesce($4::smallint, priority),
    run_at = coalesce($5::bigint, run_at),
    queue = coalesce($6::text, queue),
    name = CASE WHEN $7::boolean THEN $8::text ELSE name END,
    updated_at = $2,
    seq = seq + 1
  WHERE id = $1 AND status IN ('pending', 'queued', 'retrying', 'paused')
  RETURNING *
)
SELECT updated.*,
  CASE WHEN status IN ('queued', 'retrying') AND run_at <= $2
    THEN pg_notify(current_schema() || '_wakeup', '') END AS woken
FROM updated
