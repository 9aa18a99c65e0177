-- task-retry: $1 task id, $2 now (ms), $3 max attempts or NULL (keep). A new attempt series,
-- ready at once, so it wakes the listeners (at commit).
WITH retried AS (
  UPDATE tasks SET
    status = 'queued',
    attempt = 0,
    max_attempts = coalesce($3::integer, max_attempts),
    output = NULL,
    error = NULL,
    progress = NULL,
    progress_message = NULL,
    started_at = NULL,
    finished_at = NULL,
    crash_count = 0,
    cancel_requested = false,
    run_at = $2,
    updated_at = $2
  WHERE id = $1 AND status IN ('failed', 'timed_out', 'cancelled')
  RETURNING *
)
SELECT retried.*, pg_notify(current_schema() || '_wakeup', '') FROM retried
