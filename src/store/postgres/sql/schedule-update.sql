-- schedule-update: the parameters of schedule-insert.sql ($15 now is the update time).
-- Every field is replaced, but the cursor never moves back: another scheduler may have handled
-- ticks since the caller read the schedule. Then the next fire time is the earlier of the two
-- (the caller's comes from an older cursor, perhaps of a new expression): a pass finding it due
-- too early plans nothing and sets it right, while a later one could miss ticks.
UPDATE schedules SET
  cron = $2, timezone = $3, task_type = $4, input = $5::jsonb, priority = $6, queue = $7,
  max_attempts = $8, timeout = $9::jsonb, enabled = $10, description = $11, overlap = $12,
  catch_up = $13, catch_up_window_ms = $14, updated_at = $15,
  next_at = CASE WHEN $16::bigint >= cursor_at THEN $17::bigint ELSE least(next_at, $17::bigint) END,
  cursor_at = greatest(cursor_at, $16::bigint)
WHERE name = $1
RETURNING name
