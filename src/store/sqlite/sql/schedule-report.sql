-- schedule-report: ?1 since (ms, the start of a UTC day). Per schedule and UTC day (days since
-- the epoch) of the tick's fire time: runs, completed, failed (or timed out), skipped, durations.
SELECT k.schedule_name, k.fire_at / 86400000 AS day,
  count(k.task_id) AS runs,
  sum(CASE WHEN t.status = 'completed' THEN 1 ELSE 0 END) AS completed,
  sum(CASE WHEN t.status IN ('failed', 'timed_out') THEN 1 ELSE 0 END) AS failed,
  sum(CASE WHEN k.skipped IS NOT NULL THEN 1 ELSE 0 END) AS skipped,
  avg(CASE WHEN t.status IN ('completed', 'failed', 'timed_out') THEN t.finished_at - t.started_at END) AS mean_ms,
  max(CASE WHEN t.status IN ('completed', 'failed', 'timed_out') THEN t.finished_at - t.started_at END) AS max_ms
FROM schedule_ticks AS k LEFT JOIN tasks AS t ON t.id = k.task_id
WHERE k.fire_at >= ?1
GROUP BY k.schedule_name, k.fire_at / 86400000
ORDER BY k.schedule_name, day
