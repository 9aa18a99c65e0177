-- stats-hourly: $1 since (ms, an hour start), $2 now (ms). Executions that finished in [$1, $2],
-- by UTC hour (finished_at floored to 3,600,000 ms; integer division on both sides), their task's
-- type and queue, and outcome: how many and their summed duration (measured, else end minus
-- start). A range on executions_finished: its cost grows with a day's executions, not all kept.
SELECT (e.finished_at / 3600000) * 3600000 AS hour, t.type, t.queue, e.outcome,
  count(*) AS count,
  sum(coalesce((e.metrics->>'durationMs')::double precision, (e.finished_at - e.started_at)::double precision)) AS duration_sum
FROM executions e
JOIN tasks t ON t.id = e.task_id
WHERE e.finished_at >= $1 AND e.finished_at <= $2
GROUP BY 1, 2, 3, 4
