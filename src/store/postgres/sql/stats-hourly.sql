-- stats-hourly: $1 since (ms, an hour start), $2 now (ms). Attempts that finished in [$1, $2],
-- by UTC hour (finished_at floored to 3,600,000 ms; integer division on both sides), their task's
-- type and queue, and outcome: how many and their summed duration (measured, else end minus
-- start). Ranges on executions_finished and tasks_finished: the cost grows with a day's
-- attempts, not all kept.
SELECT hour, type, queue, outcome, sum(n)::bigint AS count, sum(d) AS duration_sum FROM (
  SELECT (e.finished_at / 3600000) * 3600000 AS hour, t.type, t.queue, e.outcome, 1 AS n,
    coalesce((e.metrics->>'durationMs')::double precision,
      (e.finished_at - e.started_at)::double precision) AS d
  FROM executions e
  JOIN tasks t ON t.id = e.task_id
  WHERE e.finished_at >= $1 AND e.finished_at <= $2
  UNION ALL
  SELECT (t.finished_at / 3600000) * 3600000, t.type, t.queue, t.outcome, 1,
    coalesce((t.metrics->>'durationMs')::double precision,
      (t.finished_at - t.started_at)::double precision)
  FROM tasks t
  WHERE t.status IN ('completed', 'failed', 'timed_out', 'cancelled')
    AND t.finished_at >= $1 AND t.finished_at <= $2 AND t.execution_id IS NOT NULL
) h
GROUP BY hour, type, queue, outcome
