-- run-set-error: ? error (JSON text), ? now (ms), ? run id. The first failure is kept.
UPDATE pipeline_runs SET error = COALESCE(error, ?), updated_at = ? WHERE id = ?
