-- stats-durations: $1 sample size, $2 now (ms). Durations (ms) of the newest executions that
-- finished by $2, with their task's type and queue: as the worker measured them when it reported
-- metrics, else from the execution's start and end. Walks executions_finished backwards.
SELECT t.type, t.queue,
  coalesce((e.metrics->>'durationMs')::double precision, (e.finished_at - e.started_at)::double precision) AS duration
FROM executions e
JOIN tasks t ON t.id = e.task_id
WHERE e.finished_at IS NOT NULL AND e.finished_at <= $2
ORDER BY e.finished_at DESC
LIMIT $1
