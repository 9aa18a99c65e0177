-- task-next-run-at: $1 now (ms), $2 text[] task types, $3 text[] queues or NULL (any).
-- The earliest run time after now among waiting tasks a worker could take: one index seek per
-- priority level on tasks_ready, whose order within a level is run_at.
SELECT min(next) AS next FROM (
  SELECT (SELECT min(t.run_at) FROM tasks t
    WHERE t.status IN ('queued', 'retrying') AND t.priority = p.level AND t.run_at > $1
      AND t.type = ANY($2::text[])
      AND ($3::text[] IS NULL OR t.queue = ANY($3::text[]))) AS next
  FROM (VALUES (0), (1), (2), (3)) AS p(level)
) AS levels
