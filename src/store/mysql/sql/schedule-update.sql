-- schedule-update: ? cron, ? timezone, ? task type, ? input (JSON text), ? priority, ? queue,
--   ? max attempts or NULL, ? timeout (JSON text) or NULL, ? enabled, ? description or NULL,
--   ? overlap, ? catch-up, ? catch-up window (ms), ? now (ms), ? the caller's cursor (ms),
--   ? its next fire time (ms) or NULL, the same next fire time twice more, ? the caller's cursor
--   again, ? name.
-- Every field is replaced, but the cursor never moves back: another scheduler may have handled
-- ticks since the caller read the schedule. Then the next fire time is the earlier of the two
-- (the caller's comes from an older cursor, perhaps of a new expression): a pass finding it due
-- too early plans nothing and sets it right, while a later one could miss ticks. MySQL's LEAST
-- is NULL when either side is (PostgreSQL's skips NULLs), hence the COALESCE. next_at is
-- assigned before cursor_at: MySQL's assignments see the values assigned before them. 0 matched
-- rows: no such schedule.
UPDATE schedules SET
  cron = ?, timezone = ?, task_type = ?, input = ?, priority = ?, queue = ?,
  max_attempts = ?, timeout = ?, enabled = ?, description = ?, overlap = ?,
  catch_up = ?, catch_up_window_ms = ?, updated_at = ?,
  next_at = CASE WHEN ? >= cursor_at THEN ? ELSE COALESCE(LEAST(next_at, ?), next_at, ?) END,
  cursor_at = GREATEST(cursor_at, ?)
WHERE name = ?
