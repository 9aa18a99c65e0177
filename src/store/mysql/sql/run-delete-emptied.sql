-- run-delete-emptied: ? run ids (JSON array). Those of them that have ended and have no task left
-- (retention or a delete took the last): a run is kept as long as one of its tasks is.
-- A join driven by the id list (STRAIGHT_JOIN and FORCE INDEX: each run found by its primary key,
-- even when a young table's statistics make a scan look cheaper), not `WHERE id IN (subquery)`:
-- MariaDB runs that single-table form as a scan of every run, locking runs other transactions hold,
-- which deadlocks under concurrency.
DELETE r FROM JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
STRAIGHT_JOIN pipeline_runs r FORCE INDEX (PRIMARY) ON r.id = j.id
WHERE r.ended_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM tasks AS t WHERE t.run_id = r.id)
