-- run-tasks-cancel: ?1 now (ms), ?2 run id. The run's tasks that have not ended and are not
-- running are cancelled. Returns each with its entry number: the caller writes the history.
UPDATE tasks SET status = 'cancelled', finished_at = ?1, updated_at = ?1, cancel_requested = 0,
  waiting_on = 0, held = 0, seq = seq + 1
WHERE run_id = ?2 AND status IN ('pending', 'queued', 'paused', 'retrying')
RETURNING id, seq
