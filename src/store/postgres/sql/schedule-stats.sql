-- schedule-stats: $1 names (text[]), or NULL for every schedule.
-- Per schedule from its ticks and their tasks: runs (ticks that made a task), completed, failed
-- (failed or timed out), skipped by reason, durations of ended runs (last attempt), last run.
SELECT k.schedule_name,
  count(k.task_id) AS runs,
  count(*) FILTER (WHERE t.status = 'completed') AS completed,
  count(*) FILTER (WHERE t.status IN ('failed', 'timed_out')) AS failed,
  count(*) FILTER (WHERE k.skipped = 'overlap') AS skipped_overlap,
  count(*) FILTER (WHERE k.skipped = 'catch_up') AS skipped_catch_up,
  count(*) FILTER (WHERE k.skipped = 'invalid') AS skipped_invalid,
  (avg(t.finished_at - t.started_at) FILTER (WHERE t.status IN ('completed', 'failed', 'timed_out')))::double precision AS mean_ms,
  min(t.finished_at - t.started_at) FILTER (WHERE t.status IN ('completed', 'failed', 'timed_out')) AS min_ms,
  max(t.finished_at - t.started_at) FILTER (WHERE t.status IN ('completed', 'failed', 'timed_out')) AS max_ms,
  max(k.fire_at) FILTER (WHERE k.task_id IS NOT NULL) AS last_run_at
FROM schedule_ticks AS k LEFT JOIN tasks AS t ON t.id = k.task_id
WHERE $1::text[] IS NULL OR k.schedule_name = ANY ($1::text[])
GROUP BY k.schedule_name
