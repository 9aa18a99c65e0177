-- run-insert: $1 now (ms), $2 id, $3 pipeline, $4 input (JSON text), $5 mode, $6 on_failure,
--   $7 limits (JSON text), $8 batch id or null, $9 position in the batch or null.
-- A new pipeline run; its tasks are inserted after it in the same transaction. A run whose id is
-- stored already is left as it is (a retried start: see src/mill/pipeline-starter.ts); the
-- caller then inserts no tasks.
INSERT INTO pipeline_runs (
  id, pipeline, input, mode, on_failure, limits, status, batch_id, batch_index, created_at,
  updated_at
)
VALUES ($2, $3, $4::jsonb, $5, $6, $7::jsonb, 'running', $8, $9, $1, $1)
ON CONFLICT (id) DO NOTHING
RETURNING id
