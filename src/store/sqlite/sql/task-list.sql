-- task-list: ?1 statuses, ?2 types, ?3 queues (each a JSON array, or NULL for any),
--   ?4 sort value and ?5 id of the last row of the previous page (NULL on the first page), ?6 limit,
--   ?7 text to find in id, name, type, input or error (NULL: any; a literal, already folded by
--   foldCase, which taskmill_fold (registered on the connection) applies to the row alike:
--   lower() would fold ASCII only),
--   ?8 created at or after, ?9 created before (ms, NULL: open), ?10 rows to skip first (a
--   numbered page: the rows before it are still read, so deep pages cost more than a cursor).
-- {{sort}}, {{cmp}} and {{dir}} are filled from the allow-list in src/store/list-cursor.ts (a
-- column expression, > or <, ASC or DESC), never from caller text; each variant is prepared once.
SELECT *, {{sort}} AS sort_value FROM tasks
WHERE (?1 IS NULL OR status IN (SELECT value FROM json_each(?1)))
  AND (?2 IS NULL OR type IN (SELECT value FROM json_each(?2)))
  AND (?3 IS NULL OR queue IN (SELECT value FROM json_each(?3)))
  AND (?7 IS NULL OR instr(taskmill_fold(id || ' ' || coalesce(name, '') || ' ' || type || ' ' || input || ' '
    || coalesce(error, '')), ?7) > 0)
  AND (?8 IS NULL OR created_at >= ?8)
  AND (?9 IS NULL OR created_at < ?9)
  AND (?4 IS NULL OR ({{sort}}, id) {{cmp}} (?4, ?5))
ORDER BY {{sort}} {{dir}}, id {{dir}}
LIMIT ?6 OFFSET ?10
