-- run-cancel-flag: $1 now (ms), $2 run id.
UPDATE pipeline_runs SET cancel_requested = true, updated_at = $1 WHERE id = $2
