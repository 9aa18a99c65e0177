-- run-open: ? run id. Whether (1/0) any task of the run has not ended. Run as its own statement
-- after the run's lock: it then sees what the transactions that held the lock committed.
SELECT EXISTS (
  SELECT 1 FROM tasks
  WHERE run_id = ? AND status IN ('pending', 'queued', 'paused', 'running', 'retrying')
) AS is_open
