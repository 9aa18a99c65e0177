-- stats-finished-since: $1 since (ms), $2 now (ms). Attempts that finished in [$1, $2], by
-- their task's type and queue and by outcome: those in executions and those on the rows of the
-- tasks they ended (tasks_finished).
SELECT type, queue, outcome, sum(n)::bigint AS count FROM (
  SELECT t.type, t.queue, e.outcome, count(*) AS n
  FROM executions e
  JOIN tasks t ON t.id = e.task_id
  WHERE e.finished_at >= $1 AND e.finished_at <= $2
  GROUP BY t.type, t.queue, e.outcome
  UNION ALL
  SELECT t.type, t.queue, t.outcome, count(*)
  FROM tasks t
  WHERE t.status IN ('completed', 'failed', 'timed_out', 'cancelled')
    AND t.finished_at >= $1 AND t.finished_at <= $2 AND t.execution_id IS NOT NULL
  GROUP BY t.type, t.queue, t.outcome
) f
GROUP BY type, queue, outcome
