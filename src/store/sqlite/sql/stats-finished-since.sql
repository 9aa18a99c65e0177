-- stats-finished-since: ?1 since (ms), ?2 now (ms). Attempts that finished in [?1, ?2], by
-- their task's type and queue and by outcome: those in executions and those on the rows of the
-- tasks they ended (tasks_finished).
SELECT type, queue, outcome, sum(n) AS count FROM (
  SELECT t.type, t.queue, e.outcome, count(*) AS n
  FROM executions e
  JOIN tasks t ON t.id = e.task_id
  WHERE e.finished_at >= ?1 AND e.finished_at <= ?2
  GROUP BY t.type, t.queue, e.outcome
  UNION ALL
  SELECT type, queue, outcome, count(*)
  FROM tasks INDEXED BY tasks_finished
  WHERE status IN ('completed', 'failed', 'timed_out', 'cancelled')
    AND finished_at >= ?1 AND finished_at <= ?2 AND execution_id IS NOT NULL
  GROUP BY type, queue, outcome
)
GROUP BY type, queue, outcome
