-- schedule-tick-prune: ? before (ms), ? limit. Retention: up to ? ticks fired before the cut-off,
-- oldest first. A tick waiting for its previous run stays, and so does one whose task has not
-- ended (the overlap policy reads the newest task's status). The tasks the ticks made stay.
-- MySQL takes no LIMIT in an IN subquery, nor a subquery on the table it deletes from: the ticks
-- are chosen in a derived table (materialised, for its LIMIT) joined to the delete.
DELETE k FROM schedule_ticks AS k
JOIN (
  SELECT o.schedule_name, o.fire_at, o.manual FROM schedule_ticks AS o
  WHERE o.fire_at < ? AND NOT o.waiting
    AND NOT EXISTS (SELECT 1 FROM tasks AS t WHERE t.id = o.task_id
      AND t.status NOT IN ('completed', 'failed', 'timed_out', 'cancelled'))
  ORDER BY o.fire_at
  LIMIT ?
) AS old
  ON old.schedule_name = k.schedule_name AND old.fire_at = k.fire_at AND old.manual = k.manual
