-- task-list: ?1 statuses, ?2 types, ?3 queues (each a JSON array, or NULL for any),
--   ?4 sort value and ?5 id of the last row of the previous page (NULL on the first page), ?6 limit,
--   ?7 text to find in id, name, type, input or error (NULL: any; a literal, already folded by
--   foldCase, which taskmill_fold (registered on the connection) applies to the row alike:
--   lower() would fold ASCII only),
--   ?8 created at or after, ?9 created before (ms, NULL: open), ?10 rows to skip first (a
--   numbered page: the rows before it are still read, so deep pages cost more than a cursor),
--   ?11 text to find in the name (NULL: any; folded as ?7), ?12 id of the worker whose running
--   tasks to list (NULL: any; a task it ran before and no longer holds does not match), ?13 id
--   of a pipeline run and ?14 name of a step whose tasks to list (each NULL: any).
-- The cheap conditions come before the search, so a row out of the time range or of another
-- status is never folded; no condition bounds an index walk ("?8 IS NULL OR …" cannot, and bounds
-- written as coalesce made the planner pick tasks_created and sort for the other sorts).
-- {{sort}}, {{cmp}} and {{dir}} are filled from the allow-list in src/store/list-cursor.ts (a
-- column expression, > or <, ASC or DESC), never from caller text; each variant is prepared once.
SELECT *, {{sort}} AS sort_value FROM tasks
WHERE (?1 IS NULL OR status IN (SELECT value FROM json_each(?1)))
  AND (?2 IS NULL OR type IN (SELECT value FROM json_each(?2)))
  AND (?3 IS NULL OR queue IN (SELECT value FROM json_each(?3)))
  AND (?8 IS NULL OR created_at >= ?8)
  AND (?9 IS NULL OR created_at < ?9)
  AND (?12 IS NULL OR (status = 'running' AND worker_id = ?12))
  AND (?13 IS NULL OR run_id = ?13)
  AND (?14 IS NULL OR step = ?14)
  AND (?7 IS NULL OR instr(taskmill_fold(id || ' ' || coalesce(name, '') || ' ' || type || ' ' || input || ' '
    || coalesce(error, '')), ?7) > 0)
  AND (?11 IS NULL OR instr(taskmill_fold(name), ?11) > 0)
  AND (?4 IS NULL OR ({{sort}}, id) {{cmp}} (?4, ?5))
ORDER BY {{sort}} {{dir}}, id {{dir}}
LIMIT ?6 OFFSET ?10
