-- run-resume-reset: ?1 now (ms), ?2 run id, ?3 1 when every task waits for a place
--   (sequential), ?4 JSON array of map steps whose items wait for a place.
-- The run's tasks that ended without completing start a new attempt series, pending; their
-- ended attempts were moved to executions first (execution-move). Returns each with its entry
-- number: the caller writes the history.
UPDATE tasks SET
  status = 'pending',
  held = CASE
    WHEN ?3 = 1 OR (map_index IS NOT NULL AND step IN (SELECT value FROM json_each(?4))) THEN 1
    ELSE 0
  END,
  attempt = 0,
  output = NULL,
  error = NULL,
  progress = NULL,
  progress_message = NULL,
  started_at = NULL,
  finished_at = NULL,
  crash_count = 0,
  cancel_requested = 0,
  run_at = ?1,
  updated_at = ?1,
  seq = seq + 1,
  execution_id = NULL,
  worker_id = NULL,
  claimed_from = NULL,
  outcome = NULL,
  metrics = NULL,
  end_reason = NULL,
  attempt_error = 0,
  settled_by = NULL
WHERE run_id = ?2 AND status IN ('failed', 'timed_out', 'cancelled')
RETURNING id, seq
