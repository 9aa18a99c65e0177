-- settle-update: $1 now (ms), $2 worker id, $3 jsonb array of settlements, each an object
--   { id, token, to, outcome, reason, output?, error?, executionError, metrics, runAt,
--     refundAttempt, crashed, onlyIfExpired, terminal }.
-- `output` and `error` absent keep what is stored; present, they are written (JSON null
-- clears). Only the current lease of a running task matches: that is the fence against late
-- results. Unlike SQLite's, this one statement also ends the executions (SQLite:
-- execution-finish-many) and writes the history, and wakes the listeners at commit when a task
-- goes back to queued or to a retry that is due already. Returns the settled items' positions.
-- The rows are locked in id order first: two sweepers recovering the same expired leases (or a
-- sweeper and a worker renewing them) would otherwise lock them in join order and deadlock.
WITH items AS (
  SELECT e.ord, e.v, e.v->>'id' AS id, e.v->>'token' AS token
  FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(v, ord)
),
locked AS (
  SELECT t.id FROM tasks t WHERE t.id IN (SELECT id FROM items) ORDER BY t.id FOR UPDATE
),
settled AS (
  UPDATE tasks t SET
    status = i.v->>'to',
    output = CASE WHEN i.v ? 'output' THEN nullif(i.v->'output', 'null'::jsonb) ELSE t.output END,
    error = CASE WHEN i.v ? 'error' THEN nullif(i.v->'error', 'null'::jsonb) ELSE t.error END,
    run_at = coalesce((i.v->>'runAt')::bigint, t.run_at),
    attempt = t.attempt - CASE WHEN (i.v->>'refundAttempt')::boolean THEN 1 ELSE 0 END,
    crash_count = CASE WHEN (i.v->>'crashed')::boolean THEN t.crash_count + 1 ELSE 0 END,
    finished_at = CASE WHEN (i.v->>'terminal')::boolean THEN $1::bigint END,
    lease_token = NULL,
    lease_expires_at = NULL,
    worker_id = NULL,
    cancel_requested = false,
    updated_at = $1
  FROM items i
  WHERE t.id = i.id
    AND t.id IN (SELECT id FROM locked)
    AND t.lease_token = i.token
    AND t.status = 'running'
    AND (NOT (i.v->>'onlyIfExpired')::boolean OR t.lease_expires_at <= $1)
  RETURNING i.ord, i.v, t.id, t.execution_id, t.status, t.run_at
),
finished AS (
  UPDATE executions e SET
    finished_at = $1,
    outcome = s.v->>'outcome',
    error = nullif(s.v->'executionError', 'null'::jsonb),
    metrics = nullif(s.v->'metrics', 'null'::jsonb)
  FROM settled s
  WHERE e.id = s.execution_id
),
recorded AS (
  INSERT INTO task_history (task_id, from_status, to_status, at, reason, worker_id)
  SELECT s.id, 'running', s.status, $1, s.v->>'reason', $2 FROM settled s ORDER BY s.ord
),
woken AS (
  SELECT pg_notify(current_schema() || '_wakeup', '') FROM settled s
  WHERE s.status = 'queued' OR (s.status = 'retrying' AND s.run_at <= $1)
  LIMIT 1
)
SELECT s.ord, (SELECT count(*) FROM woken) AS woken FROM settled s
