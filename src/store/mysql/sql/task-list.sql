-- task-list: ? JSON array of statuses, ? of types, ? of queues (each NULL for any), ? sort value
--   and ? id of the last row of the previous page (NULL on the first page), ? text to find in
--   id, name, type, input or error (NULL: any; a literal, already folded by foldCase: LOWER()
--   folds the row alike, by utf8mb4's Unicode case mapping), ? created at or after, ? created
--   before (ms, NULL: open), ? limit, ? rows to skip first (a numbered page: the rows before it
--   are still read, so deep pages cost more than a cursor). In the row p also: ? text to find
--   in the name (NULL: any; folded as the search), ? id of the worker whose running tasks to
--   list (NULL: any; a task it ran before and no longer holds does not match), ? id of a
--   pipeline run, ? name of a step whose tasks to list (each NULL: any).
-- The parameters are read once as a row (p), so each stands once in the list above.
-- {{sort}}, {{cmp}} and {{dir}} are filled from the allow-list in src/store/list-cursor.ts (a
-- column expression, > or <, ASC or DESC), never from caller text.
SELECT t.*, {{sort}} AS sort_value
FROM tasks t
CROSS JOIN (
  SELECT ? AS statuses, ? AS types, ? AS queues, ? AS after_v, ? AS after_i, ? AS search,
    ? AS created_from, ? AS created_to, ? AS name_part, ? AS worker, ? AS run, ? AS step
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
  AND (p.after_v IS NULL OR ({{sort}}, t.id) {{cmp}} (p.after_v, p.after_i))
ORDER BY {{sort}} {{dir}}, t.id {{dir}}
LIMIT ? OFFSET ?
