-- run-reopen: $1 now (ms), $2 run id. A resumed run runs again.
UPDATE pipeline_runs SET status = 'running', ended_at = NULL, cancel_requested = false,
  error = NULL, updated_at = $1
WHERE id = $2
