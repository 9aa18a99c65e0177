-- schedule-tick-list: ? schedule name, ? limit. Its ticks, newest first, with their tasks'
-- status and the duration of the last attempt (NULL until it ended; the task may be deleted).
SELECT k.schedule_name, k.fire_at, k.manual, k.backfill, k.task_id, k.skipped, k.waiting,
  t.status, t.started_at, t.finished_at
FROM schedule_ticks AS k LEFT JOIN tasks AS t ON t.id = k.task_id
WHERE k.schedule_name = ?
ORDER BY k.fire_at DESC, k.manual DESC
LIMIT ?
