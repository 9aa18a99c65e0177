-- schedule-tick-release: ? its task's id, ? schedule name, ? the waiting tick's fire time.
-- The claim of a waiting tick: only the call that changes the row (1 affected row) makes the
-- task.
UPDATE schedule_ticks SET task_id = ?, waiting = 0
WHERE schedule_name = ? AND fire_at = ? AND NOT manual AND waiting
