-- schedule-insert: $1 name, $2 cron, $3 timezone, $4 task type, $5 input (JSON text), $6 priority
--   0..3, $7 queue, $8 max attempts or NULL, $9 timeout (JSON text) or NULL, $10 enabled,
--   $11 description or NULL, $12 overlap, $13 catch-up, $14 catch-up window (ms), $15 now (ms),
--   $16 cursor (ms), $17 next fire time (ms) or NULL.
-- A taken name is skipped (no row returned): the caller reports SCHEDULE_EXISTS.
INSERT INTO schedules (
  name, cron, timezone, task_type, input, priority, queue, max_attempts, timeout, enabled,
  description, overlap, catch_up, catch_up_window_ms, created_at, updated_at, cursor_at, next_at
)
VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $15, $16,
  $17)
ON CONFLICT (name) DO NOTHING
RETURNING name
