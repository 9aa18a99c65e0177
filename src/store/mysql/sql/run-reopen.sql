-- run-reopen: ? now (ms), ? run id. A resumed run runs again.
UPDATE pipeline_runs SET status = 'running', ended_at = NULL, cancel_requested = 0,
  error = NULL, updated_at = ?
WHERE id = ?
