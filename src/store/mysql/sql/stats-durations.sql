-- stats-durations: ? now (ms), ? sample size, ? now (ms), ? sample size, ? sample size.
-- Durations (ms) of the newest attempts that finished by now, with their task's type and queue:
-- as the worker measured them when it reported metrics, else from the attempt's start and end.
-- Attempts are in executions (walked backwards on executions_finished) and on the rows of the
-- tasks they ended (walked backwards on tasks_finished).
SELECT type, queue, duration FROM (
  (SELECT t.type, t.queue, e.finished_at,
    coalesce(JSON_VALUE(e.metrics, '$.durationMs') + 0.0, e.finished_at - e.started_at) AS duration
  FROM executions e
  JOIN tasks t ON t.id = e.task_id
  WHERE e.finished_at IS NOT NULL AND e.finished_at <= ?
  ORDER BY e.finished_at DESC
  LIMIT ?)
  UNION ALL
  (SELECT t.type, t.queue, t.finished_at,
    coalesce(JSON_VALUE(t.metrics, '$.durationMs') + 0.0, t.finished_at - t.started_at)
  FROM tasks t
  WHERE t.status IN ('completed', 'failed', 'timed_out', 'cancelled')
    AND t.finished_at IS NOT NULL AND t.finished_at <= ?
    AND t.execution_id IS NOT NULL
  ORDER BY t.finished_at DESC
  LIMIT ?)
) AS d
ORDER BY finished_at DESC
LIMIT ?
