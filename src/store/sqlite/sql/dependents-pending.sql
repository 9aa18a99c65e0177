-- dependents-pending: ?1 JSON array of task ids. The pending tasks that depend on them, each
-- with the dependency it was found through (the follow-up `end-dependents` then ends them, and
-- looks for their own dependents in turn). The write lock of the caller's transaction keeps
-- them as read.
SELECT t.id, min(d.depends_on) AS depends_on
FROM task_dependencies d
JOIN tasks t ON t.id = d.task_id
WHERE d.depends_on IN (SELECT value FROM json_each(?1)) AND t.status = 'pending'
GROUP BY t.id
ORDER BY t.id
