-- claim-select: ? now (ms), ? JSON array of task types, ? JSON array of queues or NULL (any; the
--   same value twice), ? JSON array of queues to skip (paused or full), ? limit.
-- Walks the ready index (tasks_ready: `ready` is 1 for queued and retrying tasks) in claim order
-- and stops after the limit, skipping rows other claimers hold (SKIP LOCKED); the rows returned
-- stay locked until the claim's transaction ends, and claim-update then leases the ones the
-- admission rules chose. Reads every column a claimed task carries (there is no RETURNING).
SELECT t.id, t.type, t.queue, t.priority, t.status, t.input, t.output, t.error, t.attempt,
  t.max_attempts, t.idempotency_key, t.run_at, t.created_at, t.crash_count, t.soft_timeout_ms,
  t.hard_timeout_ms, t.run_id, t.step, t.map_index, t.name
FROM tasks t FORCE INDEX (tasks_ready)
WHERE t.ready = 1
  AND t.run_at <= ?
  AND t.type IN (
    SELECT j.v FROM JSON_TABLE(?, '$[*]' COLUMNS (
      v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
    )) AS j
  )
  AND (? IS NULL OR t.queue IN (
    SELECT j.v FROM JSON_TABLE(?, '$[*]' COLUMNS (
      v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
    )) AS j
  ))
  AND t.queue NOT IN (
    SELECT j.v FROM JSON_TABLE(?, '$[*]' COLUMNS (
      v VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
    )) AS j
  )
ORDER BY t.ready, t.priority, t.run_at, t.id
LIMIT ?
FOR UPDATE SKIP LOCKED
