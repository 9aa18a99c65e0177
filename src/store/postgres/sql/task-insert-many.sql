-- task-insert-many: $1 now (ms); one array per column, element i for task i: $2 text[] ids,
--   $3 text[] types, $4 text[] queues, $5 smallint[] priorities, $6 text[] statuses, $7 text[]
--   inputs (JSON text), $8 int[] max attempts, $9 bigint[] run_at, $10 text[] idempotency keys,
--   $11 text[] input hashes (NULL elements for none), $12 integer[] dependencies each waits on,
--   $13 integer[] new dependents each has (both NULL for none; see src/store/dependencies.ts),
--   $14 integer[] soft and $15 integer[] hard timeouts in ms given at submit (NULL elements, or
--   NULL for none at all), $16 text[] pipeline run ids, $17 text[] steps, $18 integer[] map item
--   indexes, $19 integer[] step orders, $20 boolean[] whether each waits for a place in its run
--   (src/core/new-task.ts; NULL for no pipeline task at all), $21 text[] names (NULL elements
--   for none, or NULL when no task has one).
-- A row whose id or idempotency key exists already is skipped (RETURNING tells the caller which
-- were written). A new task's first history entry (`submitted`) is read from its row
-- (submitted_as, created_at), not written apart. Wakes the listeners at commit when one of the
-- new tasks is ready now.
WITH incoming AS (
  SELECT * FROM unnest(
    $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[], $7::text[], $8::integer[],
    $9::bigint[], $10::text[], $11::text[], $12::integer[], $13::integer[], $14::integer[],
    $15::integer[], $16::text[], $17::text[], $18::integer[], $19::integer[], $20::boolean[],
    $21::text[]
  ) WITH ORDINALITY AS i(
    id, type, queue, priority, status, input, max_attempts, run_at, idempotency_key, input_hash,
    waiting_on, dependents, soft_timeout_ms, hard_timeout_ms, run_id, step, map_index, step_order,
    held, name, ord
  )
),
inserted AS (
  INSERT INTO tasks (
    id, type, queue, priority, status, input, attempt, max_attempts,
    idempotency_key, input_hash, run_at, created_at, updated_at, seq, submitted_as, waiting_on,
    dependents, soft_timeout_ms, hard_timeout_ms, run_id, step, map_index, step_order, held, name
  )
  SELECT id, type, queue, priority, status, input::jsonb, 0, max_attempts,
    idempotency_key, input_hash, run_at, $1, $1, 1, status, coalesce(waiting_on, 0),
    coalesce(dependents, 0), soft_timeout_ms, hard_timeout_ms, run_id, step, map_index, step_order,
    coalesce(held, false), name
  FROM incoming
  ORDER BY ord
  ON CONFLICT DO NOTHING
  RETURNING id, status, run_at
),
woken AS (
  SELECT pg_notify(current_schema() || '_wakeup', '') FROM inserted
  WHERE status = 'queued' AND run_at <= $1
  LIMIT 1
)
SELECT id, (SELECT count(*) FROM woken) AS woken FROM inserted
