-- stats-finished-since: ? since (ms), ? now (ms), ? since, ? now. Attempts that finished in
-- [since, now], by their task's type and queue and by outcome: those in executions and those on
-- the rows of the tasks they ended (tasks_finished).
SELECT type, queue, outcome, sum(n) AS count FROM (
  SELECT t.type, t.queue, e.outcome, count(*) AS n
  FROM executions e
  JOIN tasks t ON t.id = e.task_id
  WHERE e.finished_at >= ? AND e.finished_at <= ?
  GROUP BY t.type, t.queue, e.outcome
  UNION ALL
  SELECT t.type, t.queue, t.outcome, count(*)
  FROM tasks t
  WHERE t.status IN ('completed', 'failed', 'timed_out', 'cancelled')
    AND t.finished_at >= ? AND t.finished_at <= ? AND t.execution_id IS NOT NULL
  GROUP BY t.type, t.queue, t.outcome
) AS f
GROUP BY type, queue, outcome
