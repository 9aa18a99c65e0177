-- schedule-fire-state: ?1 schedule name. What scheduleFire decides from (src/store/schedule-fire.ts):
-- the cursor, whether it is enabled, its overlap policy, the status of the task its newest tick
-- made (NULL: none, or deleted), and the tick waiting for its previous run. Read inside the
-- write transaction, which holds SQLite's one write lock (no FOR UPDATE there).
SELECT
  s.cursor_at, s.enabled, s.overlap,
  (SELECT t.status FROM schedule_ticks AS k LEFT JOIN tasks AS t ON t.id = k.task_id
    WHERE k.schedule_name = s.name AND k.task_id IS NOT NULL
    ORDER BY k.fire_at DESC, k.manual DESC LIMIT 1) AS newest_status,
  (SELECT k.fire_at FROM schedule_ticks AS k
    WHERE k.schedule_name = s.name AND k.waiting = 1
    ORDER BY k.fire_at LIMIT 1) AS waiting_at
FROM schedules AS s
WHERE s.name = ?1
