-- schedule-tick-prune: ?1 before (ms), ?2 limit. Retention: up to ?2 ticks fired before ?1, oldest
-- first. A tick waiting for its previous run stays, and so does one whose task has not ended (the
-- overlap policy reads the newest task's status). The tasks the ticks made stay.
DELETE FROM schedule_ticks
WHERE (schedule_name, fire_at, manual) IN (
  SELECT k.schedule_name, k.fire_at, k.manual FROM schedule_ticks AS k
  WHERE k.fire_at < ?1 AND k.waiting = 0
    AND NOT EXISTS (SELECT 1 FROM tasks AS t WHERE t.id = k.task_id
      AND t.status NOT IN ('completed', 'failed', 'timed_out', 'cancelled'))
  ORDER BY k.fire_at
  LIMIT ?2)
