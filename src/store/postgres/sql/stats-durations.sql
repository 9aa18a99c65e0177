-- stats-durations: $1 sample size, $2 now (ms). Durations (ms) of the newest attempts that
-- finished by $2, with their task's type and queue: as the worker measured them when it reported
-- metrics, else from the attempt's start and end. Attempts are in executions (walked backwards
-- on executions_finished) and on the rows of the tasks they ended (walked backwards on
-- tasks_finished, one terminal status at a time so each walk is in index order).
SELECT type, queue, duration FROM (
  (SELECT t.type, t.queue, e.finished_at,
    coalesce((e.metrics->>'durationMs')::double precision,
      (e.finished_at - e.started_at)::double precision) AS duration
  FROM executions e
  JOIN tasks t ON t.id = e.task_id
  WHERE e.finished_at IS NOT NULL AND e.finished_at <= $2
  ORDER BY e.finished_at DESC
  LIMIT $1)
  UNION ALL
  SELECT l.type, l.queue, l.finished_at, l.duration
  FROM unnest(ARRAY['completed', 'failed', 'timed_out', 'cancelled']::text[]) AS s(status)
  CROSS JOIN LATERAL (
    SELECT t.type, t.queue, t.finished_at,
      coalesce((t.metrics->>'durationMs')::double precision,
        (t.finished_at - t.started_at)::double precision) AS duration
    FROM tasks t
    WHERE t.status = s.status AND t.finished_at IS NOT NULL AND t.finished_at <= $2
      AND t.execution_id IS NOT NULL
    ORDER BY t.finished_at DESC
    LIMIT $1
  ) l
) d
ORDER BY finished_at DESC
LIMIT $1
