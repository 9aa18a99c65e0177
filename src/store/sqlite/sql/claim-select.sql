-- claim-select: ?1 now (ms), ?2 JSON array of task types, ?3 JSON array of queues or NULL (any),
--   ?4 JSON array of queues to skip (paused or full), ?5 limit.
-- Walks the partial index of ready tasks in claim order and stops after ?5 matches. Without the
-- hint, an unanalysed database makes the planner prefer tasks_status_finished and sort. Reads
-- every column a claimed task carries: claim-update then writes each chosen row without a
-- RETURNING clause (which cost more than the update itself), in the same write transaction.
-- Only in the SQLite adapter: PostgreSQL picks, leases and records a claim in one
-- statement (claim-tasks).
SELECT id, type, queue, priority, status, input, output, error, attempt, max_attempts,
  idempotency_key, run_at, created_at, crash_count, soft_timeout_ms, hard_timeout_ms, run_id, step,
  map_index, name
FROM tasks INDEXED BY tasks_ready
WHERE status IN ('queued', 'retrying')
  AND run_at <= ?1
  AND type IN (SELECT value FROM json_each(?2))
  AND (?3 IS NULL OR queue IN (SELECT value FROM json_each(?3)))
  AND queue NOT IN (SELECT value FROM json_each(?4))
ORDER BY priority, run_at, id
LIMIT ?5
