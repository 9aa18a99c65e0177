-- task-retry: $1 task id, $2 now (ms), $3 max attempts or NULL (keep). A new attempt series,
-- ready at once, so it wakes the listeners (at commit). The attempt that ended the task moves
-- from its row to executions, so the row is clear for the next claim. One more history entry:
-- the caller writes it with the returned seq.
WITH old AS (
  SELECT * FROM tasks WHERE id = $1 AND status IN ('failed', 'timed_out', 'cancelled')
),
moved AS (
  INSERT INTO executions (
    id, task_id, attempt, worker_id, started_at, finished_at, outcome, error, metrics,
    from_status, to_status, reason, settled_by, claim_seq
  )
  SELECT execution_id, id, attempt, worker_id, started_at, finished_at, outcome,
    CASE WHEN attempt_error THEN error END, metrics, claimed_from, status, end_reason, settled_by,
    seq - 1
  FROM old
  WHERE execution_id IS NOT NULL
),
retried AS (
  UPDATE tasks t SET
    status = 'queued',
    attempt = 0,
    max_attempts = coalesce($3::integer, t.max_attempts),
    output = NULL,
    error = NULL,
    progress = NULL,
    progress_message = NULL,
    started_at = NULL,
    finished_at = NULL,
    crash_count = 0,
    cancel_requested = false,
    run_at = $2,
    updated_at = $2,
    seq = t.seq + 1,
    execution_id = NULL,
    worker_id = NULL,
    claimed_from = NULL,
    outcome = NULL,
    metrics = NULL,
    end_reason = NULL,
    attempt_error = false,
    settled_by = NULL
  FROM old
  WHERE t.id = old.id
  RETURNING t.*
)
SELECT retried.*, pg_notify(current_schema() || '_wakeup', '') FROM retried
