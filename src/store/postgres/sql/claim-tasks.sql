-- claim-tasks: $1 now (ms), $2 worker id, $3 limit, $4 text[] task types, $5 text[] queues or
--   NULL (any), $6 lease_expires_at (ms), $7 text[] execution ids (UUIDv7, at least $3 of them,
--   handed out in claim order), $8 text[] limited queues whose lock this transaction holds
--   (see queue-lock-limited), $9 how many of $3 start at once (the rest are held ahead).
-- Only in the PostgreSQL adapter: one statement does what SQLite does with claim-select and
-- claim-update. The worker's usual claim is settle-claim, which leaves limited queues out; this
-- one, after queue-lock-limited in the same transaction, serves them too.
-- Walks the partial index tasks_ready in (priority, run_at, id) order, skipping rows other
-- claimers hold (SKIP LOCKED), and stops after $3. Paused queues, full queues and limited queues
-- whose lock is not held are left out; a limited queue with room gives at most that many, and
-- `passed_over` tells the caller how many locked candidates that left unclaimed. A task a worker
-- died holding (crash_count > 0) is taken only among the first $9 candidates.
WITH limited AS (
  SELECT q.name,
    q.concurrency - (
      SELECT count(*) FROM tasks r WHERE r.status = 'running' AND r.queue = q.name
    ) AS room
  FROM queues q
  WHERE q.concurrency IS NOT NULL AND NOT q.paused AND q.name = ANY($8::text[])
),
blocked AS (
  SELECT name FROM queues
  WHERE paused OR (concurrency IS NOT NULL AND name <> ALL($8::text[]))
  UNION ALL
  SELECT name FROM limited WHERE room <= 0
),
candidates AS (
  SELECT t.id, t.queue, t.status, t.priority, t.run_at, t.crash_count
  FROM tasks t
  WHERE t.status IN ('queued', 'retrying')
    AND t.run_at <= $1
    AND t.type = ANY($4::text[])
    AND ($5::text[] IS NULL OR t.queue = ANY($5::text[]))
    AND t.queue <> ALL(ARRAY(SELECT name FROM blocked))
  ORDER BY t.priority, t.run_at, t.id
  LIMIT $3
  FOR UPDATE OF t SKIP LOCKED
),
ranked AS (
  SELECT c.*,
    row_number() OVER (PARTITION BY c.queue ORDER BY c.priority, c.run_at, c.id) AS nth_in_queue,
    row_number() OVER (ORDER BY c.priority, c.run_at, c.id) AS n
  FROM candidates c
),
chosen AS (
  SELECT r.id, r.status, row_number() OVER (ORDER BY r.priority, r.run_at, r.id) AS slot
  FROM ranked r
  LEFT JOIN limited l ON l.name = r.queue
  WHERE (l.room IS NULL OR r.nth_in_queue <= l.room) AND (r.crash_count = 0 OR r.n <= $9)
),
claimed AS (
  UPDATE tasks t SET
    status = 'running',
    attempt = t.attempt + 1,
    lease_token = gen_random_uuid()::text,
    execution_id = ($7::text[])[c.slot],
    lease_expires_at = $6,
    worker_id = $2,
    started_at = $1,
    updated_at = $1,
    progress = NULL,
    progress_message = NULL,
    claimed_from = c.status,
    seq = t.seq + 1
  FROM chosen c
  WHERE t.id = c.id
  RETURNING t.*, c.slot
)
SELECT claimed.*,
  (SELECT count(*) FROM candidates) - (SELECT count(*) FROM chosen) AS passed_over
FROM claimed
ORDER BY slot
