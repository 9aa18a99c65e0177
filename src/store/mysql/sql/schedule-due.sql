-- schedule-due: ? now (ms), ? limit. Enabled schedules with a tick due, or with a tick waiting
-- for its previous run (overlap `queue`), most overdue first (no next tick last, as PostgreSQL
-- orders NULLs; MySQL would put them first).
SELECT * FROM schedules AS s
WHERE s.enabled
  AND (s.next_at <= ?
    OR EXISTS (SELECT 1 FROM schedule_ticks AS k WHERE k.schedule_name = s.name AND k.waiting))
ORDER BY s.next_at IS NULL, s.next_at
LIMIT ?
