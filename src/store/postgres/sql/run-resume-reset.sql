-- run-resume-reset: $1 now (ms), $2 run id, $3 true when every task waits for a place
--   (sequential), $4 text[] map steps whose items wait for a place, $5 history reason.
-- The run's tasks that ended without completing start a new attempt series, pending, each with
-- its history entry; the attempt that ended each moves from its row to executions (as in
-- task-retry). The caller holds the run's lock.
WITH old AS (
  SELECT * FROM tasks
  WHERE run_id = $2 AND status IN ('failed', 'timed_out', 'cancelled')
  ORDER BY id
  FOR UPDATE
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
reset AS (
  UPDATE tasks t SET
    status = 'pending',
    held = $3::boolean OR (t.map_index IS NOT NULL AND t.step = ANY($4::text[])),
    attempt = 0,
    output = NULL,
    error = NULL,
    progress = NULL,
    progress_message = NULL,
    started_at = NULL,
    finished_at = NULL,
    crash_count = 0,
    cancel_requested = false,
    run_at = $1,
    updated_at = $1,
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
  RETURNING t.id, t.seq, old.status AS from_status
)
INSERT INTO task_history (task_id, seq, from_status, to_status, at, reason, worker_id)
SELECT id, seq, from_status, 'pending', $1, $5, NULL FROM reset
