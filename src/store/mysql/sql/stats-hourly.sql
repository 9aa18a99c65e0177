-- stats-hourly: ? since (ms, an hour start), ? now (ms), ? since, ? now. Attempts that finished
-- in [since, now], by UTC hour (finished_at floored to 3,600,000 ms), their task's type and
-- queue, and outcome: how many and their summed duration (measured, else end minus start).
SELECT hour, type, queue, outcome, sum(n) AS count, sum(d) AS duration_sum FROM (
  SELECT (e.finished_at DIV 3600000) * 3600000 AS hour, t.type, t.queue, e.outcome, 1 AS n,
    coalesce(JSON_VALUE(e.metrics, '$.durationMs') + 0.0, e.finished_at - e.started_at) AS d
  FROM executions e
  JOIN tasks t ON t.id = e.task_id
  WHERE e.finished_at >= ? AND e.finished_at <= ?
  UNION ALL
  SELECT (t.finished_at DIV 3600000) * 3600000, t.type, t.queue, t.outcome, 1,
    coalesce(JSON_VALUE(t.metrics, '$.durationMs') + 0.0, t.finished_at - t.started_at)
  FROM tasks t
  WHERE t.status IN ('completed', 'failed', 'timed_out', 'cancelled')
    AND t.finished_at >= ? AND t.finished_at <= ? AND t.execution_id IS NOT NULL
) AS h
GROUP BY hour, type, queue, outcome
