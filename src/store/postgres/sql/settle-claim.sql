-- settle-claim: $1 now (ms), $2 worker id, $3 jsonb array of settlements, each an object
--   { id, token, to, outcome, reason, output?, error?, metrics, runAt, refundAttempt, crashed,
--     onlyIfExpired, unstarted, terminal }, $4 true to settle tasks with dependents as well (the
--   caller's transaction then runs their follow-ups), $5 claim limit (0: settle only), $6 text[]
--   task types, $7 text[] queues or NULL (any), $8 lease_expires_at (ms), $9 text[] lease tokens
--   and $10 text[] execution ids (at least $5 of each, handed out in claim order), $11 how many
--   of $5 start at once (the rest are held ahead).
-- The worker's round trip: end attempts and take the next tasks in one statement, no
-- transaction around it. Only in the PostgreSQL adapter; SQLite runs settle-update and the claim
-- statements in one write transaction.
--
-- Settling. `output` and `error` absent keep what is stored (JSON null clears). Only the current
-- lease of a running task matches: that is the fence against late results. An attempt that ends
-- its task stays on the task row; one that does not (retrying, queued again) is written to
-- executions and the row is cleared for the next claim. History entries of both transitions are
-- read from those records (history-list), so none is written here. An unstarted attempt (held
-- ahead, never run) undoes its claim: status, attempt, crash count and entry number go back.
-- Rows are locked (in id order, see below) together with their items, and updated found by id.
-- Not by the row address the lock returned: when another write (a lease renewal, a progress
-- report) commits between this statement's snapshot and its lock, the lock returns the newer
-- row version, which the update's snapshot cannot see, and the settlement would be refused as a
-- lost lease. Found by id, the update re-reads the newest version and checks the token on it.
-- The lease token stands for "running": a claim sets it and every settlement clears it. A
-- status condition in the update would lead the planner to read every running task
-- (tasks_running) to find these.
-- The id order of the locks matters: two sweepers recovering the same expired leases (or a
-- sweeper and a renewal) would otherwise lock them in join order and deadlock. Without $4 a task
-- that has dependents is left alone: its settlement must commit with its follow-ups
-- (dependents-release, dependents-pending, dependents-end), which read task_dependencies with a
-- snapshot taken after the row lock; the caller settles such items (and any other it finds
-- missing) again in a transaction. A task of a pipeline run is left
-- alone (not even locked) without $4 as well: its run is locked before its task in the
-- transaction that settles it (run-lock), and its run's follow-ups commit with it.
--
-- Claiming. Walks the partial index tasks_ready in (priority, run_at, id) order, skipping rows
-- other claimers hold (SKIP LOCKED), and stops after $5. Paused queues and every queue with a
-- concurrency limit are left out: a limit is counted under the queue's lock (claim-tasks after
-- queue-lock-limited), and `limited` tells the caller that such queues exist for it. A task a
-- worker died holding (crash_count > 0) is taken only for the first $11, which start at once.
WITH items AS (
  SELECT e.ord, e.v, e.v->>'id' AS id, e.v->>'token' AS token,
    (e.v->>'terminal')::boolean AS terminal, (e.v->>'unstarted')::boolean AS unstarted
  FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(v, ord)
),
locked AS (
  SELECT i.ord, i.v, i.token, i.terminal, i.unstarted, t.id, t.execution_id,
    t.worker_id, t.attempt, t.started_at, t.claimed_from, t.seq
  FROM items i JOIN tasks t ON t.id = i.id
  WHERE $4::boolean OR t.run_id IS NULL
  ORDER BY t.id
  FOR UPDATE OF t
),
settled AS (
  UPDATE tasks t SET
    status = CASE WHEN i.unstarted THEN t.claimed_from ELSE i.v->>'to' END,
    output = CASE WHEN i.v ? 'output' THEN nullif(i.v->'output', 'null'::jsonb) ELSE t.output END,
    error = CASE WHEN i.v ? 'error' THEN nullif(i.v->'error', 'null'::jsonb) ELSE t.error END,
    run_at = coalesce((i.v->>'runAt')::bigint, t.run_at),
    attempt = t.attempt
      - CASE WHEN (i.v->>'refundAttempt')::boolean OR i.unstarted THEN 1 ELSE 0 END,
    crash_count = CASE
      WHEN i.unstarted THEN t.crash_count
      WHEN (i.v->>'crashed')::boolean THEN t.crash_count + 1
      ELSE 0
    END,
    finished_at = CASE WHEN i.terminal THEN $1::bigint END,
    started_at = CASE WHEN i.unstarted THEN NULL ELSE t.started_at END,
    seq = t.seq + CASE WHEN i.unstarted THEN -1 ELSE 1 END,
    execution_id = CASE WHEN i.terminal THEN t.execution_id END,
    worker_id = CASE WHEN i.terminal THEN t.worker_id END,
    outcome = CASE WHEN i.terminal THEN i.v->>'outcome' END,
    metrics = CASE WHEN i.terminal THEN nullif(i.v->'metrics', 'null'::jsonb) END,
    end_reason = CASE WHEN i.terminal THEN i.v->>'reason' END,
    attempt_error = i.terminal AND nullif(i.v->'error', 'null'::jsonb) IS NOT NULL,
    settled_by = CASE WHEN i.terminal AND t.worker_id IS DISTINCT FROM $2 THEN $2 END,
    lease_token = NULL,
    lease_expires_at = NULL,
    cancel_requested = false,
    updated_at = $1
  FROM locked i
  WHERE t.id = i.id
    AND t.lease_token = i.token
    AND (NOT (i.v->>'onlyIfExpired')::boolean OR t.lease_expires_at <= $1)
    AND ($4::boolean OR (t.dependents = 0 AND t.run_id IS NULL))
  RETURNING i.ord, i.v, i.terminal, i.unstarted, t.id, t.status, t.run_at, t.dependents, i.execution_id,
    i.worker_id, i.attempt, i.started_at, i.claimed_from, i.seq
),
moved AS (
  INSERT INTO executions (
    id, task_id, attempt, worker_id, started_at, finished_at, outcome, error, metrics,
    from_status, to_status, reason, settled_by, claim_seq
  )
  SELECT s.execution_id, s.id, s.attempt, s.worker_id, s.started_at, $1, s.v->>'outcome',
    nullif(s.v->'error', 'null'::jsonb), nullif(s.v->'metrics', 'null'::jsonb), s.claimed_from,
    s.status, s.v->>'reason', CASE WHEN s.worker_id IS DISTINCT FROM $2 THEN $2 END, s.seq
  FROM settled s
  WHERE NOT s.terminal AND NOT s.unstarted AND s.execution_id IS NOT NULL
),
blocked AS (
  SELECT name FROM queues WHERE paused OR concurrency IS NOT NULL
),
candidates AS (
  SELECT t.id, t.status, t.priority, t.run_at, t.crash_count
  FROM tasks t
  WHERE t.status IN ('queued', 'retrying')
    AND t.run_at <= $1
    AND t.type = ANY($6::text[])
    AND ($7::text[] IS NULL OR t.queue = ANY($7::text[]))
    AND t.queue <> ALL(ARRAY(SELECT name FROM blocked))
  ORDER BY t.priority, t.run_at, t.id
  LIMIT $5
  FOR UPDATE OF t SKIP LOCKED
),
ranked AS (
  SELECT c.*, row_number() OVER (ORDER BY c.priority, c.run_at, c.id) AS n FROM candidates c
),
chosen AS (
  SELECT r.id, r.status, row_number() OVER (ORDER BY r.n) AS slot
  FROM ranked r
  WHERE r.crash_count = 0 OR r.n <= $11
),
claimed AS (
  UPDATE tasks t SET
    status = 'running',
    attempt = t.attempt + 1,
    lease_token = ($9::text[])[c.slot],
    execution_id = ($10::text[])[c.slot],
    lease_expires_at = $8,
    worker_id = $2,
    started_at = $1,
    updated_at = $1,
    progress = NULL,
    progress_message = NULL,
    claimed_from = c.status,
    seq = t.seq + 1
  FROM chosen c
  WHERE t.id = c.id
  -- What a claimed task carries that the caller does not know already (src/store/rows.ts,
  -- claimedTask): fewer columns to send and parse on the hot path.
  RETURNING t.id, t.type, t.queue, t.priority, t.input, t.output, t.error, t.attempt,
    t.max_attempts, t.idempotency_key, t.run_at, t.created_at, t.crash_count, t.lease_token,
    t.execution_id, t.soft_timeout_ms, t.hard_timeout_ms, t.run_id, t.step, t.map_index,
    t.name, c.status AS claimed_from, c.slot
),
woken AS (
  SELECT pg_notify(current_schema() || '_wakeup', '') FROM settled s
  WHERE s.status = 'queued' OR (s.status = 'retrying' AND s.run_at <= $1)
  LIMIT 1
)
-- One row at least: the settled items' positions (`ord`, with whether the task has dependents),
-- the claimed rows (`slot`), and on every row whether listeners were woken and how many limited
-- queues this claim left out.
SELECT x.*, (SELECT count(*) FROM woken) AS woken,
  (SELECT count(*) FROM queues q WHERE q.concurrency IS NOT NULL AND NOT q.paused
    AND ($7::text[] IS NULL OR q.name = ANY($7::text[]))) AS limited
FROM (SELECT 1) AS one
LEFT JOIN (
  SELECT s.ord, s.status AS settled_status, s.dependents AS settled_dependents, c.*
  FROM settled s FULL JOIN claimed c ON false
) AS x ON true
ORDER BY x.ord, x.slot
