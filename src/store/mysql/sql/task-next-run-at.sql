-- task-next-run-at: ? now (ms), ? JSON array of task types, ? JSON array of queues or NULL (any;
--   the same value twice).
-- When the next waiting task of these types and queues comes due, after now.
SELECT min(t.run_at) AS next FROM tasks t
WHERE t.ready = 1 AND t.run_at > ?
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
