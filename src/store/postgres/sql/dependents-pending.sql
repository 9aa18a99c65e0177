-- dependents-pending: $1 text[] task ids. The pending tasks that depend on them, each with the
-- dependency it was found through, locked for this transaction (the follow-up `end-dependents`
-- then ends them, and looks for their own dependents in turn).
SELECT DISTINCT ON (t.id) t.id, d.depends_on
FROM task_dependencies d
JOIN tasks t ON t.id = d.task_id
WHERE d.depends_on = ANY($1::text[]) AND t.status = 'pending'
ORDER BY t.id, d.depends_on
FOR UPDATE OF t
