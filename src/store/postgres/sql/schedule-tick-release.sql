-- schedule-tick-release: $1 schedule name, $2 the waiting tick's fire time, $3 its task's id.
-- The claim of a waiting tick: only the call that changes the row makes the task.
UPDATE schedule_ticks SET task_id = $3, waiting = false
WHERE schedule_name = $1 AND fire_at = $2 AND NOT manual AND waiting
RETURNING fire_at
