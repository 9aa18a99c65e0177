-- run-lock: ? run ids (JSON array, sorted). Locks those runs, in id order, until the transaction
-- ends, and returns them: the follow-ups read the run from here (what they read does not change
-- until the transaction commits, but `ended_at`, which they set themselves).
-- Every transaction that changes a run's tasks locks the run first and its tasks after, so two
-- of them never wait on each other's tasks in a cycle, and a run's follow-ups read the commits
-- of the transactions that held the run before (as PostgreSQL's; SQLite's write transaction
-- already runs one at a time).
-- Driven by the id list (STRAIGHT_JOIN and FORCE INDEX: each run found by its primary key, even
-- when a young table's statistics make a scan look cheaper, locked in the list's order), not
-- `WHERE id IN (subquery)`, which the server may run as a scan that locks every run.
SELECT STRAIGHT_JOIN r.*
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
JOIN pipeline_runs r FORCE INDEX (PRIMARY) ON r.id = j.id
ORDER BY r.id
FOR UPDATE
