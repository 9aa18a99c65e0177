-- dependents-pending: $1 text[] task ids. The pending tasks that depend on them, each with the
-- dependency it was found through, locked for this transaction in id order (the follow-up
-- `end-dependents` then ends them, and looks for their own dependents in turn).
WITH locked AS (
  SELECT t.id FROM tasks t
  WHERE t.id IN (SELECT d.task_id FROM task_dependencies d WHERE d.depends_on = ANY($1::text[]))
    AND t.status = 'pending'
  ORDER BY t.id
  FOR UPDATE
)
SELECT l.id, min(d.depends_on) AS depends_on
FROM locked l
JOIN task_dependencies d ON d.task_id = l.id AND d.depends_on = ANY($1::text[])
GROUP BY l.id
ORDER BY l.id
