-- run-delete-emptied: $1 text[] run ids. Those of them that have ended and have no task left
-- (retention or a delete took the last): a run is kept as long as one of its tasks is.
DELETE FROM pipeline_runs
WHERE id = ANY($1::text[])
  AND ended_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.run_id = pipeline_runs.id)
