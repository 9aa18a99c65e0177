-- run-cancel-flag: ? now (ms), ? run id.
UPDATE pipeline_runs SET cancel_requested = 1, updated_at = ? WHERE id = ?
