-- stats-durations: ?1 sample size, ?2 now (ms). Durations (ms) of the newest attempts that
-- finished by ?2, with their task's type and queue: as the worker measured them when it reported
-- metrics, else from the attempt's start and end. Attempts are in executions (walked backwards
-- on executions_finished) and on the rows of the tasks they ended (walked backwards on
-- tasks_finished, one terminal status at a time so each walk is in index order).
SELECT type, queue, duration FROM (
  SELECT * FROM (
    SELECT t.type, t.queue, e.finished_at,
      coalesce(e.metrics->>'durationMs', e.finished_at - e.started_at) AS duration
    FROM executions e
    JOIN tasks t ON t.id = e.task_id
    WHERE e.finished_at IS NOT NULL AND e.finished_at <= ?2
    ORDER BY e.finished_at DESC
    LIMIT ?1
  )
  UNION ALL
  SELECT * FROM (
    SELECT type, queue, finished_at,
      coalesce(metrics->>'durationMs', finished_at - started_at) AS duration
    FROM tasks INDEXED BY tasks_finished
    WHERE status = 'completed' AND finished_at <= ?2 AND execution_id IS NOT NULL
    ORDER BY finished_at DESC
    LIMIT ?1
  )
  UNION ALL
  SELECT * FROM (
    SELECT type, queue, finished_at,
      coalesce(metrics->>'durationMs', finished_at - started_at) AS duration
    FROM tasks INDEXED BY tasks_finished
    WHERE status = 'failed' AND finished_at <= ?2 AND execution_id IS NOT NULL
    ORDER BY finished_at DESC
    LIMIT ?1
  )
  UNION ALL
  SELECT * FROM (
    SELECT type, queue, finished_at,
      coalesce(metrics->>'durationMs', finished_at - started_at) AS duration
    FROM tasks INDEXED BY tasks_finished
    WHERE status = 'timed_out' AND finished_at <= ?2 AND execution_id IS NOT NULL
    ORDER BY finished_at DESC
    LIMIT ?1
  )
  UNION ALL
  SELECT * FROM (
    SELECT type, queue, finished_at,
      coalesce(metrics->>'durationMs', finished_at - started_at) AS duration
    FROM tasks INDEXED BY tasks_finished
    WHERE status = 'cancelled' AND finished_at <= ?2 AND execution_id IS NOT NULL
    ORDER BY finished_at DESC
    LIMIT ?1
  )
)
ORDER BY finished_at DESC
LIMIT ?1
