-- run-get: $1 run id.
SELECT * FROM pipeline_runs WHERE id = $1
