-- stats-finished-since: ?1 since (ms), ?2 now (ms). Executions that finished in [?1, ?2], by
-- their task's type and queue and by outcome.
SELECT t.type, t.queue, e.outcome, count(*) AS count
FROM executions e
JOIN tasks t ON t.id = e.task_id
WHERE e.finished_at >= ?1 AND e.finished_at <= ?2
GROUP BY t.type, t.queue, e.outcome
