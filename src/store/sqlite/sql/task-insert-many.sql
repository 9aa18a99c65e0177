-- task-insert-many: ?1 now (ms), ?2 id, ?3 type, ?4 queue, ?5 priority, ?6 status, ?7 input (JSON
--   text), ?8 max attempts, ?9 run_at, ?10 idempotency key or null, ?11 input hash or null,
--   ?12 dependencies it waits on, ?13 new dependents it has (0 and 0 without dependencies; see
--   src/store/dependencies.ts), ?14 soft and ?15 hard timeout in ms given at submit, or null,
--   ?16 pipeline run id, ?17 step, ?18 map item index, ?19 step order (null for a task
--   submitted alone), ?20 1 when it waits for a place in its run (src/core/new-task.ts), ?21 the
--   task's name or null.
-- One new task: run once per task of a batch, in the caller's write transaction. A row whose id
-- or idempotency key exists already is skipped (no change: the caller then looks for the task
-- holding the key). A new task's first history entry (`submitted`) is read from its row
-- (submitted_as, created_at), not written apart.
-- A statement per row with bound parameters, not one over a JSON array: extracting each column
-- from JSON cost more than the insert itself (docs/project/benchmarks.md). Only the name is
-- shared with PostgreSQL's, whose one statement takes the whole batch as arrays (a round trip per
-- row would cost far more there).
INSERT INTO tasks (
  id, type, queue, priority, status, input, attempt, max_attempts,
  idempotency_key, input_hash, run_at, created_at, updated_at, seq, submitted_as, waiting_on,
  dependents, soft_timeout_ms, hard_timeout_ms, run_id, step, map_index, step_order, held, name
)
VALUES (?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?10, ?11, ?9, ?1, ?1, 1, ?6, ?12, ?13, ?14, ?15, ?16, ?17,
  ?18, ?19, ?20, ?21)
ON CONFLICT DO NOTHING
