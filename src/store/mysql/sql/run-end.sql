-- run-end: ? the status it ends in, ? now (ms), the same again, ? run id. 1 affected row when
-- the run ended now.
UPDATE pipeline_runs SET status = ?, ended_at = ?, updated_at = ?
WHERE id = ? AND ended_at IS NULL
