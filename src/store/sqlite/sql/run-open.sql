-- run-open: ?1 run id. Whether any task of the run has not ended.
SELECT EXISTS (
  SELECT 1 FROM tasks
  WHERE run_id = ?1 AND status IN ('pending', 'queued', 'paused', 'running', 'retrying')
) AS open
