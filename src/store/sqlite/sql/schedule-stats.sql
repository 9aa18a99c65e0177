-- schedule-stats: ?1 names as a JSON array of text, or NULL for every schedule.
-- Per schedule from its ticks and their tasks: runs (ticks that made a task), completed, failed
-- (failed or timed out), skipped by reason, durations of ended runs (last attempt), last run.
SELECT k.schedule_name,
  count(k.task_id) AS runs,
  sum(CASE WHEN t.status = 'completed' THEN 1 ELSE 0 END) AS completed,
  sum(CASE WHEN t.status IN ('failed', 'timed_out') THEN 1 ELSE 0 END) AS failed,
  sum(CASE WHEN k.skipped = 'overlap' THEN 1 ELSE 0 END) AS skipped_overlap,
  sum(CASE WHEN k.skipped = 'catch_up' THEN 1 ELSE 0 END) AS skipped_catch_up,
  sum(CASE WHEN k.skipped = 'invalid' THEN 1 ELSE 0 END) AS skipped_invalid,
  avg(CASE WHEN t.status IN ('completed', 'failed', 'timed_out') THEN t.finished_at - t.started_at END) AS mean_ms,
  min(CASE WHEN t.status IN ('completed', 'failed', 'timed_out') THEN t.finished_at - t.started_at END) AS min_ms,
  max(CASE WHEN t.status IN ('completed', 'failed', 'timed_out') THEN t.finished_at - t.started_at END) AS max_ms,
  max(CASE WHEN k.task_id IS NOT NULL THEN k.fire_at END) AS last_run_at
FROM schedule_ticks AS k LEFT JOIN tasks AS t ON t.id = k.task_id
WHERE ?1 IS NULL OR k.schedule_name IN (SELECT value FROM json_each(?1))
GROUP BY k.schedule_name
