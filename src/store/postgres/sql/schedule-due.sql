-- schedule-due: $1 now (ms), $2 limit. Enabled schedules with a tick due, or with a tick waiting
-- for its previous run (overlap `queue`), most overdue first.
SELECT * FROM schedules AS s
WHERE s.enabled
  AND (s.next_at <= $1
    OR EXISTS (SELECT 1 FROM schedule_ticks AS k WHERE k.schedule_name = s.name AND k.waiting))
ORDER BY s.next_at
LIMIT $2
