-- schedule-insert: ? name, ? cron, ? timezone, ? task type, ? input (JSON text), ? priority 0..3,
--   ? queue, ? max attempts or NULL, ? timeout (JSON text) or NULL, ? enabled, ? description or
--   NULL, ? overlap, ? catch-up, ? catch-up window (ms), ? now (ms, created), ? now (ms, updated),
--   ? cursor (ms), ? next fire time (ms) or NULL.
-- A taken name inserts nothing (0 affected rows): the caller reports SCHEDULE_EXISTS. IGNORE
-- only ever meets the duplicate key here: every other value was checked before the call.
INSERT IGNORE INTO schedules (
  name, cron, timezone, task_type, input, priority, queue, max_attempts, timeout, enabled,
  description, overlap, catch_up, catch_up_window_ms, created_at, updated_at, cursor_at, next_at
)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
