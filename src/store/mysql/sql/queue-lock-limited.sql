-- queue-lock-limited: ? JSON array of the queues a claim serves, or NULL for every queue (the
--   same value twice).
-- Claims from a queue with a concurrency limit count its running tasks and then take some; two
-- claims doing that at once would both see room. So each locks the rows of the limited queues it
-- serves, in name order (no deadlock between claimers), until its transaction ends, as
-- PostgreSQL's advisory locks do. Claims that serve only unlimited queues lock nothing.
SELECT q.name FROM queues q
WHERE q.concurrency IS NOT NULL AND NOT q.paused
  AND (? IS NULL OR q.name IN (
    SELECT j.name FROM JSON_TABLE(?, '$[*]' COLUMNS (
      name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
    )) AS j
  ))
ORDER BY q.name
FOR UPDATE
