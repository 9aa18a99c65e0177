-- task-list: $1 text[] statuses, $2 text[] types, $3 text[] queues (each NULL for any),
--   $4 sort value and $5 id of the last row of the previous page (NULL on the first page), $6 limit,
--   $7 text to find in id, name, type, input or error (NULL: any; a literal, already folded by
--   foldCase; ICU's root-locale lower() folds the row alike, where COLLATE "C" folds ASCII only;
--   {{fold}} is "und-x-icu", or "default" on a server without ICU: see collation-icu.sql),
--   $8 created at or after, $9 created before (ms, NULL: open), $10 rows to skip first (a
--   numbered page: the rows before it are still read, so deep pages cost more than a cursor),
--   $11 text to find in the name (NULL: any; folded as $7), $12 id of the worker whose running
--   tasks to list (NULL: any; a task it ran before and no longer holds does not match), $13 id
--   of a pipeline run and $14 name of a step whose tasks to list (each NULL: any; tasks_run
--   serves them).
-- {{sort}}, {{cmp}}, {{dir}} and {{fold}} are filled from the allow-list in src/store/list-cursor.ts (a
-- column expression, > or <, ASC or DESC), never from caller text; each variant is prepared once
-- per connection.
SELECT *, {{sort}} AS sort_value FROM tasks
WHERE ($1::text[] IS NULL OR status = ANY($1::text[]))
  AND ($2::text[] IS NULL OR type = ANY($2::text[]))
  AND ($3::text[] IS NULL OR queue = ANY($3::text[]))
  AND ($7::text IS NULL OR position($7::text in lower((id || ' ' || coalesce(name, '') || ' ' || type || ' ' || input::text
    || ' ' || coalesce(error::text, '')) COLLATE {{fold}})) > 0)
  AND ($11::text IS NULL OR position($11::text in lower(name COLLATE {{fold}})) > 0)
  AND ($12::text IS NULL OR (status = 'running' AND worker_id = $12::text))
  AND ($13::text IS NULL OR run_id = $13::text)
  AND ($14::text IS NULL OR step = $14::text)
  AND ($8::bigint IS NULL OR created_at >= $8::bigint)
  AND ($9::bigint IS NULL OR created_at < $9::bigint)
  AND ($4::bigint IS NULL OR ({{sort}}, id) {{cmp}} ($4::bigint, $5::text))
ORDER BY {{sort}} {{dir}}, id {{dir}}
LIMIT $6 OFFSET $10
