-- schedule-advance: ?1 name, ?2 the newest fire time handled (ms), ?3 the next fire time or NULL.
-- Forward only: a cursor ahead of ?2 stays.
UPDATE schedules SET
  next_at = CASE WHEN ?2 >= cursor_at THEN ?3 ELSE next_at END,
  cursor_at = max(cursor_at, ?2)
WHERE name = ?1
