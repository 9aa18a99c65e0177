-- run-resume-move: ? task ids (JSON array, each once: those run-ended-tasks locked). The attempt
-- that ended each leaves its row for executions, before run-resume-reset starts a new attempt
-- series (as task-retry does for one task). Only in the MySQL adapter: PostgreSQL moves them
-- inside run-resume-reset, SQLite with execution-move.
-- Driven by the id list (STRAIGHT_JOIN and FORCE INDEX: each task read by its primary key, even
-- when a young table's statistics make a scan look cheaper), not `WHERE id IN (subquery)`, which
-- the server may run as a scan of every task.
INSERT INTO executions (
  id, task_id, attempt, worker_id, started_at, finished_at, outcome, error, metrics,
  from_status, to_status, reason, settled_by, claim_seq
)
SELECT STRAIGHT_JOIN t.execution_id, t.id, t.attempt, t.worker_id, t.started_at, t.finished_at,
  t.outcome, CASE WHEN t.attempt_error THEN t.error END, t.metrics, t.claimed_from, t.status,
  t.end_reason, t.settled_by, t.seq - 1
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$'
)) AS j
JOIN tasks t FORCE INDEX (PRIMARY) ON t.id = j.id
WHERE t.execution_id IS NOT NULL
