-- schedule-report: ? since (ms, the start of a UTC day). Per schedule and UTC day (days since
-- the epoch) of the tick's fire time: runs, completed, failed (or timed out), skipped, durations.
-- COUNT(CASE …) stands for PostgreSQL's FILTER; AVG is read as a double (1e0), not a DECIMAL.
SELECT k.schedule_name, k.fire_at DIV 86400000 AS day,
  COUNT(k.task_id) AS runs,
  COUNT(CASE WHEN t.status = 'completed' THEN 1 END) AS completed,
  COUNT(CASE WHEN t.status IN ('failed', 'timed_out') THEN 1 END) AS failed,
  COUNT(CASE WHEN k.skipped IS NOT NULL THEN 1 END) AS skipped,
  AVG(CASE WHEN t.status IN ('completed', 'failed', 'timed_out')
    THEN t.finished_at - t.started_at END) * 1e0 AS mean_ms,
  MAX(CASE WHEN t.status IN ('completed', 'failed', 'timed_out')
    THEN t.finished_at - t.started_at END) AS max_ms
FROM schedule_ticks AS k LEFT JOIN tasks AS t ON t.id = k.task_id
WHERE k.fire_at >= ?
GROUP BY k.schedule_name, k.fire_at DIV 86400000
ORDER BY k.schedule_name, day
