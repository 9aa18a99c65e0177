-- queue-oldest: ?1 now (ms), ?2 JSON array of queue names (those holding queued or retrying
--   tasks).
-- Each queue's longest-waiting task a claim at ?1 could take (queued, or retrying with its
-- backoff over, run_at <= now as claim-select has it): its run_at; a queue with none due yet has
-- no row. Reads the ready tasks through the claim's own partial index (tasks_ready): an index of
-- its own, (queue, run_at) on the waiting tasks, cost every claim and settle a write (13 % of
-- processing on SQLite, and PostgreSQL's planner took it for claims, 8× slower).
SELECT t.queue AS queue, MIN(t.run_at) AS oldest
FROM tasks t
WHERE t.status IN ('queued', 'retrying') AND t.run_at <= ?1
  AND t.queue IN (SELECT value FROM json_each(?2))
GROUP BY t.queue
