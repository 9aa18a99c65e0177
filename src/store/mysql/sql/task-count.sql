-- task-count: ? JSON array of statuses, ? of types, ? of queues (each NULL for any), ? text to
--   find in id, name, type, input or error (NULL: any; folded as in task-list), ? created at or
--   after, ? created before (ms, NULL: open).
-- How many tasks match a list's filter: the `total` of a list, asked for apart (it reads every
-- matching row, which a cursor page does not). The same conditions as task-list.
SELECT count(*) AS total
FROM tasks t
CROSS JOIN (
  SELECT ? AS statuses, ? AS types, ? AS queues, ? AS search, ? AS created_from,
    ? AS created_to
) AS p
WHERE (p.statuses IS NULL OR JSON_CONTAINS(p.statuses, JSON_QUOTE(t.status)))
  AND (p.types IS NULL OR JSON_CONTAINS(p.types, JSON_QUOTE(t.type)))
  AND (p.queues IS NULL OR JSON_CONTAINS(p.queues, JSON_QUOTE(t.queue)))
  AND (p.search IS NULL OR LOCATE(p.search, LOWER(CONCAT_WS(' ', t.id, coalesce(t.name, ''),
    t.type, t.input, coalesce(t.error, '')))) > 0)
  AND (p.created_from IS NULL OR t.created_at >= p.created_from)
  AND (p.created_to IS NULL OR t.created_at < p.created_to)
