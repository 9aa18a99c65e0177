-- run-resume-count: $1 run id. Each pending task of a resumed run waits on its dependencies
-- that have not completed (nor been skipped).
UPDATE tasks t SET waiting_on = (
  SELECT count(*) FROM task_dependencies d JOIN tasks p ON p.id = d.depends_on
  WHERE d.task_id = t.id AND p.status NOT IN ('completed', 'skipped')
)
WHERE t.run_id = $1 AND t.status = 'pending'
