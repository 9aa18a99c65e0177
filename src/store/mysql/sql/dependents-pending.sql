-- dependents-pending: ? JSON array of task ids. The pending tasks that depend on them, each
-- with the dependency it was found through (the follow-up `end-dependents` then ends them, and
-- looks for their own dependents in turn).
SELECT t.id, min(d.depends_on) AS depends_on
FROM task_dependencies d
JOIN tasks t ON t.id = d.task_id
WHERE d.depends_on IN (
  SELECT j.v FROM JSON_TABLE(?, '$[*]' COLUMNS (
    v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
  )) AS j
)
  AND t.status = 'pending'
GROUP BY t.id
ORDER BY t.id
