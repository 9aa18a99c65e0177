-- schedule-link-list: ?1 task ids as a JSON array of text. The tick that made each task.
SELECT k.task_id, k.schedule_name, k.fire_at, k.backfill, k.manual
FROM schedule_ticks AS k
WHERE k.task_id IN (SELECT value FROM json_each(?1))
