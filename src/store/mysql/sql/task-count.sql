-- task-count: ? JSON array of statuses, ? of types, ? of queues (each NULL for any), ? text to
--   find in id, name, type, input or error (NULL: any; folded as in task-list), ? created at or
--   after, ? created before (ms, NULL: open), ? text to find in the name (folded alike), ? id
--   of the worker whose running tasks to count, ? id of a pipeline run, ? name of a step (each
--   NULL: any).
-- How many tasks match a list's filter: the `total` of a list, asked for apart (it reads every
-- matching row, which a cursor page does not). The same conditions as task-list.
SELECT count(*) AS total
FROM tasks t
CROSS JOIN (
  SELECT ? AS statuses, ? AS types, ? AS queues, ? AS search, ? AS created_from,
    ? AS created_to, ? AS name_part, ? AS worker, ? AS run, ? AS step
) AS p
WHERE (p.statuses IS NULL OR JSON_CONTAINS(p.statuses, JSON_QUOTE(t.status)))
  AND (p.types IS NULL OR JSON_CONTAINS(p.types, JSON_QUOTE(t.type)))
  AND (p.queues IS NULL OR JSON_CONTAINS(p.queues, JSON_QUOTE(t.queue)))
  AND (p.search IS NULL OR LOCATE(p.search, LOWER(CONCAT_WS(' ', t.id, coalesce(t.name, ''),
    t.type, t.input, coalesce(t.error, '')))) > 0)
  AND (p.name_part IS NULL OR LOCATE(p.name_part, LOWER(t.name)) > 0)
  AND (p.worker IS NULL OR (t.status = 'running' AND t.worker_id = p.worker))
  AND (p.run IS NULL OR t.run_id = p.run)
  AND (p.step IS NULL OR t.step = p.step)
  AND (p.created_from IS NULL OR t.created_at >= p.created_from)
  AND (p.created_to IS NULL OR t.created_at < p.created_to)
