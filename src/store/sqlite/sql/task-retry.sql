-- task-retry: ?1 task id, ?2 now (ms), ?3 max attempts or NULL (keep). A new attempt series; the
-- attempt that ended the task was moved to executions first (execution-move). One more history
-- entry: the caller writes it with the returned seq.
UPDATE tasks SET
  status = 'queued',
  attempt = 0,
  max_attempts = coalesce(?3, max_attempts),
  output = NULL,
  error = NULL,
  progress = NULL,
  progress_message = NULL,
  started_at = NULL,
  finished_at = NULL,
  crash_count = 0,
  cancel_requested = 0,
  run_at = ?2,
  updated_at = ?2,
  seq = seq + 1,
  execution_id = NULL,
  worker_id = NULL,
  claimed_from = NULL,
  outcome = NULL,
  metrics = NULL,
  end_reason = NULL,
  attempt_error = 0,
  settled_by = NULL
WHERE id = ?1 AND status IN ('failed', 'timed_out', 'cancelled')
RETURNING *
