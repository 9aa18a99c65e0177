-- run-resume-count: ? run id, the same again. Each pending task of a resumed run waits on its
-- dependencies that have not completed (nor been skipped). MySQL refuses a subquery on the
-- table it updates: the counts come from a derived table (materialised, for its GROUP BY).
-- FORCE INDEX (tasks_run_open) on both reads of the run's tasks: with a young table's
-- statistics the server would rather scan the primary key or the status index, locking tasks of
-- other runs, which deadlocks.
UPDATE tasks AS t FORCE INDEX (tasks_run_open)
LEFT JOIN (
  SELECT d.task_id, COUNT(*) AS n
  FROM tasks AS c FORCE INDEX (tasks_run_open)
  JOIN task_dependencies AS d ON d.task_id = c.id
  JOIN tasks AS p ON p.id = d.depends_on
  WHERE c.run_id = ? AND c.status = 'pending' AND p.status NOT IN ('completed', 'skipped')
  GROUP BY d.task_id
) AS w ON w.task_id = t.id
SET t.waiting_on = COALESCE(w.n, 0)
WHERE t.run_id = ? AND t.status = 'pending'
