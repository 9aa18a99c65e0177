-- task-count: ?1 statuses, ?2 types, ?3 queues (each a JSON array, or NULL for any), ?4 text to
--   find in id, name, type, input or error (NULL: any; folded as in task-list), ?5 created at or
--   after, ?6 created before (ms, NULL: open), ?7 text to find in the name (folded as ?4), ?8 id
--   of the worker whose running tasks to count, ?9 id of a pipeline run, ?10 name of a step
--   (each NULL: any).
-- How many tasks match a list's filter: the `total` of a list, asked for apart (it reads every
-- matching row, which a cursor page does not). The same conditions as task-list.
SELECT count(*) AS total FROM tasks
WHERE (?1 IS NULL OR status IN (SELECT value FROM json_each(?1)))
  AND (?2 IS NULL OR type IN (SELECT value FROM json_each(?2)))
  AND (?3 IS NULL OR queue IN (SELECT value FROM json_each(?3)))
  AND (?5 IS NULL OR created_at >= ?5)
  AND (?6 IS NULL OR created_at < ?6)
  AND (?8 IS NULL OR (status = 'running' AND worker_id = ?8))
  AND (?9 IS NULL OR run_id = ?9)
  AND (?10 IS NULL OR step = ?10)
  AND (?4 IS NULL OR instr(taskmill_fold(id || ' ' || coalesce(name, '') || ' ' || type || ' '
    || input || ' ' || coalesce(error, '')), ?4) > 0)
  AND (?7 IS NULL OR instr(taskmill_fold(name), ?7) > 0)
