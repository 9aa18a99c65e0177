-- run-get: ? run id.
SELECT * FROM pipeline_runs WHERE id = ?
