-- schedule-report: $1 since (ms, the start of a UTC day). Per schedule and UTC day (days since
-- the epoch) of the tick's fire time: runs, completed, failed (or timed out), skipped, durations.
SELECT k.schedule_name, k.fire_at / 86400000 AS day,
  count(k.task_id) AS runs,
  count(*) FILTER (WHERE t.status = 'completed') AS completed,
  count(*) FILTER (WHERE t.status IN ('failed', 'timed_out')) AS failed,
  count(*) FILTER (WHERE k.skipped IS NOT NULL) AS skipped,
  (avg(t.finished_at - t.started_at) FILTER (WHERE t.status IN ('completed', 'failed', 'timed_out')))::double precision AS mean_ms,
  max(t.finished_at - t.started_at) FILTER (WHERE t.status IN ('completed', 'failed', 'timed_out')) AS max_ms
FROM schedule_ticks AS k LEFT JOIN tasks AS t ON t.id = k.task_id
WHERE k.fire_at >= $1
GROUP BY k.schedule_name, k.fire_at / 86400000
ORDER BY k.schedule_name, day
