-- task-next-run-at: ?1 now (ms), ?2 JSON array of task types, ?3 JSON array of queues or NULL.
-- The earliest run time after now among waiting tasks a worker could take: one index seek per
-- priority level on tasks_ready, whose order within a level is run_at.
SELECT min(next) AS next FROM (
  SELECT (SELECT min(run_at) FROM tasks INDEXED BY tasks_ready
    WHERE status IN ('queued', 'retrying') AND priority = p.level AND run_at > ?1
      AND type IN (SELECT value FROM json_each(?2))
      AND (?3 IS NULL OR queue IN (SELECT value FROM json_each(?3)))) AS next
  FROM (SELECT 0 AS level UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS p
)
