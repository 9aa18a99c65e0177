-- task-retry: ? max attempts or NULL (keep), ? now (ms, run_at), ? now (updated_at), ? task id.
-- A new attempt series; the attempt that ended the task was moved to executions first
-- (execution-move). One more history entry: the caller reads the row back and writes it.
UPDATE tasks SET
  max_attempts = coalesce(?, max_attempts),
  status = 'queued',
  attempt = 0,
  output = NULL,
  error = NULL,
  progress = NULL,
  progress_message = NULL,
  started_at = NULL,
  finished_at = NULL,
  crash_count = 0,
  cancel_requested = FALSE,
  run_at = ?,
  updated_at = ?,
  seq = seq + 1,
  execution_id = NULL,
  worker_id = NULL,
  claimed_from = NULL,
  outcome = NULL,
  metrics = NULL,
  end_reason = NULL,
  attempt_error = FALSE,
  settled_by = NULL
WHERE id = ? AND status IN ('failed', 'timed_out', 'cancelled')
