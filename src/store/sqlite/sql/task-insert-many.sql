-- task-insert-many: ?1 now (ms); ?2 JSON array of tasks, each
--   [id, type, queue, priority, status, input (any JSON), max_attempts, run_at, idempotency_key,
--    input_hash, dependencies it waits on, new dependents it has] (the last two 0 without
--   dependencies; see src/store/dependencies.ts).
-- A row whose id or idempotency key exists already is skipped; the caller learns which from the
-- contiguous rowid range the inserted rows got. A new task's first history entry (`submitted`)
-- is read from its row (submitted_as, created_at), not written apart. `WHERE true` settles
-- SQLite's parse of INSERT … SELECT … ON CONFLICT.
INSERT INTO tasks (
  id, type, queue, priority, status, input, attempt, max_attempts,
  idempotency_key, input_hash, run_at, created_at, updated_at, seq, submitted_as, waiting_on,
  dependents
)
SELECT
  value->>0, value->>1, value->>2, value->>3, value->>4, value->5, 0, value->>6,
  value->>8, value->>9, value->>7, ?1, ?1, 1, value->>4, value->>10, value->>11
FROM json_each(?2)
WHERE true
ON CONFLICT DO NOTHING
