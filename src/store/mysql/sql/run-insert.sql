-- run-insert: ? id, ? pipeline, ? input (JSON text), ? mode, ? on_failure, ? limits (JSON text),
--   ? batch id or NULL, ? position in the batch or NULL, ? now (ms, created), ? now (ms, updated).
-- A new pipeline run; its tasks are inserted after it in the same transaction. A run whose id is
-- stored already is left as it is (a retried start: see src/mill/pipeline-starter.ts): 0
-- affected rows, and the caller then inserts no tasks. IGNORE only ever meets the duplicate key
-- here: the values come from a checked definition.
INSERT IGNORE INTO pipeline_runs (
  id, pipeline, input, mode, on_failure, limits, status, batch_id, batch_index, created_at,
  updated_at
)
VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)
