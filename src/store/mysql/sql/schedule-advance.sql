-- schedule-advance: ? the newest fire time handled (ms), ? the next fire time or NULL, ? the
--   newest fire time handled again, ? name.
-- Forward only: a cursor ahead of the first ? stays. next_at is assigned before cursor_at, so
-- its CASE reads the cursor as it was.
UPDATE schedules SET
  next_at = CASE WHEN ? >= cursor_at THEN ? ELSE next_at END,
  cursor_at = GREATEST(cursor_at, ?)
WHERE name = ?
