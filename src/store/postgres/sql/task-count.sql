-- task-count: $1 text[] statuses, $2 text[] types, $3 text[] queues (each NULL for any), $4 text
--   to find in id, name, type, input or error (NULL: any; folded as in task-list, {{fold}} alike),
--   $5 created at or after, $6 created before (ms, NULL: open), $7 text to find in the name
--   (folded as $4), $8 id of the worker whose running tasks to count, $9 id of a pipeline run,
--   $10 name of a step (each NULL: any).
-- How many tasks match a list's filter: the `total` of a list, asked for apart (it reads every
-- matching row, which a cursor page does not). The same conditions as task-list.
SELECT count(*)::integer AS total FROM tasks
WHERE ($1::text[] IS NULL OR status = ANY($1::text[]))
  AND ($2::text[] IS NULL OR type = ANY($2::text[]))
  AND ($3::text[] IS NULL OR queue = ANY($3::text[]))
  AND ($4::text IS NULL OR position($4::text in lower((id || ' ' || coalesce(name, '') || ' '
    || type || ' ' || input::text || ' ' || coalesce(error::text, '')) COLLATE {{fold}})) > 0)
  AND ($7::text IS NULL OR position($7::text in lower(name COLLATE {{fold}})) > 0)
  AND ($8::text IS NULL OR (status = 'running' AND worker_id = $8::text))
  AND ($9::text IS NULL OR run_id = $9::text)
  AND ($10::text IS NULL OR step = $10::text)
  AND ($5::bigint IS NULL OR created_at >= $5::bigint)
  AND ($6::bigint IS NULL OR created_at < $6::bigint)
