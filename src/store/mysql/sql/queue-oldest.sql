-- queue-oldest: ? JSON array of queue names (those holding queued or retrying tasks), ? now (ms).
-- Each queue's longest-waiting task a claim at now could take (queued, or retrying with its
-- backoff over, run_at <= now as claim-select has it): its run_at; a queue with none due yet has
-- no row. Reads the ready tasks (ready is 1 for exactly those statuses) through the claim's own
-- index: one of its own would cost every claim and settle a write.
SELECT t.queue AS queue, MIN(t.run_at) AS oldest
FROM tasks t
JOIN JSON_TABLE(?, '$[*]' COLUMNS (
  queue VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j ON j.queue = t.queue
WHERE t.ready = 1 AND t.run_at <= ?
GROUP BY t.queue
