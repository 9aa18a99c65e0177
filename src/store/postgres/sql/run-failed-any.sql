-- run-failed-any: $1 run id. Whether a task of the run ended without completing.
SELECT EXISTS (
  SELECT 1 FROM tasks WHERE run_id = $1 AND status IN ('failed', 'timed_out', 'cancelled')
) AS failed
