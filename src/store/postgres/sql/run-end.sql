-- run-end: $1 now (ms), $2 run id, $3 the status it ends in. Returns the run when it ended now.
UPDATE pipeline_runs SET status = $3, ended_at = $1, updated_at = $1
WHERE id = $2 AND ended_at IS NULL
RETURNING id
