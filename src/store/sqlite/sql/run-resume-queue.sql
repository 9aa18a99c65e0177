-- run-resume-queue: ?1 now (ms), ?2 run id. Pending tasks of a resumed run that wait on
-- nothing, and not for a place, are queued. Returns each with its entry number.
UPDATE tasks SET status = 'queued', updated_at = ?1, seq = seq + 1
WHERE run_id = ?2 AND status = 'pending' AND waiting_on = 0 AND held = 0
RETURNING id, seq
