-- queue-oldest: $1 now (ms), $2 text[] queue names (those holding queued or retrying tasks).
-- Each queue's longest-waiting task a claim at $1 could take (queued, or retrying with its
-- backoff over, run_at <= now as claim-tasks has it): its run_at; a queue with none due yet has
-- no row. Reads the ready tasks through the claim's own partial index (tasks_ready): an index of
-- its own, (queue, run_at) on the waiting tasks, was taken by the planner for claims and made
-- processing 8× slower.
SELECT t.queue, MIN(t.run_at) AS oldest
FROM tasks t
WHERE t.status IN ('queued', 'retrying') AND t.run_at <= $1::bigint
  AND t.queue = ANY ($2::text[])
GROUP BY t.queue
