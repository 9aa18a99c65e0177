-- schedule-stats: ? names (JSON array) or NULL for every schedule, ? the same again.
-- Per schedule from its ticks and their tasks: runs (ticks that made a task), completed, failed
-- (failed or timed out), skipped by reason, durations of ended runs (last attempt), last run.
-- COUNT(CASE …) stands for PostgreSQL's FILTER; AVG is read as a double (1e0), not a DECIMAL.
SELECT k.schedule_name,
  COUNT(k.task_id) AS runs,
  COUNT(CASE WHEN t.status = 'completed' THEN 1 END) AS completed,
  COUNT(CASE WHEN t.status IN ('failed', 'timed_out') THEN 1 END) AS failed,
  COUNT(CASE WHEN k.skipped = 'overlap' THEN 1 END) AS skipped_overlap,
  COUNT(CASE WHEN k.skipped = 'catch_up' THEN 1 END) AS skipped_catch_up,
  COUNT(CASE WHEN k.skipped = 'invalid' THEN 1 END) AS skipped_invalid,
  AVG(CASE WHEN t.status IN ('completed', 'failed', 'timed_out')
    THEN t.finished_at - t.started_at END) * 1e0 AS mean_ms,
  MIN(CASE WHEN t.status IN ('completed', 'failed', 'timed_out')
    THEN t.finished_at - t.started_at END) AS min_ms,
  MAX(CASE WHEN t.status IN ('completed', 'failed', 'timed_out')
    THEN t.finished_at - t.started_at END) AS max_ms,
  MAX(CASE WHEN k.task_id IS NOT NULL THEN k.fire_at END) AS last_run_at
FROM schedule_ticks AS k LEFT JOIN tasks AS t ON t.id = k.task_id
WHERE ? IS NULL OR k.schedule_name IN (
  SELECT j.name FROM JSON_TABLE(COALESCE(?, '[]'), '$[*]' COLUMNS (
    name VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$')) AS j)
GROUP BY k.schedule_name
