-- run-set-error: $1 now (ms), $2 run id, $3 error (JSON text). The first failure is kept.
UPDATE pipeline_runs SET error = coalesce(error, $3::jsonb), updated_at = $1 WHERE id = $2
