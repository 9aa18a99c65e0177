-- schedule-fire-state: ? schedule name, ? the same again. Read after schedule-fire-lock, under
-- the schedule's lock: the status of the task its newest tick made (NULL: none, or deleted) and
-- the tick waiting for its previous run (src/store/schedule-fire.ts decides from them).
SELECT
  (SELECT t.status FROM schedule_ticks AS k LEFT JOIN tasks AS t ON t.id = k.task_id
    WHERE k.schedule_name = ? AND k.task_id IS NOT NULL
    ORDER BY k.fire_at DESC, k.manual DESC LIMIT 1) AS newest_status,
  (SELECT k.fire_at FROM schedule_ticks AS k
    WHERE k.schedule_name = ? AND k.waiting
    ORDER BY k.fire_at LIMIT 1) AS waiting_at
