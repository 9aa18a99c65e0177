-- run-failed-any: ? run id. Whether (1/0) a task of the run ended without completing.
SELECT EXISTS (
  SELECT 1 FROM tasks WHERE run_id = ? AND status IN ('failed', 'timed_out', 'cancelled')
) AS failed
